/** UK postcode helpers. Pure; no look-ups. */

const POSTCODE = /^([A-Z]{1,2}[0-9][A-Z0-9]?) ?([0-9][A-Z]{2})$/;

/** Upper-cases, trims and puts the single space in the right place; null if it is not a UK postcode. */
export function normalisePostcode(input: string): string | null {
	const compact = input.toUpperCase().replace(/[^A-Z0-9]/g, '');
	const match = POSTCODE.exec(compact);
	if (!match) return null;
	return `${match[1]} ${match[2]}`;
}

/** "M14 5RT" -> "M14" (the outward code, or postcode district). */
export function postcodeDistrict(postcode: string): string {
	return postcode.split(' ')[0];
}

/** "M14 5RT" -> "M"; "BL1 1AA" -> "BL" (the postcode area). */
export function postcodeArea(postcode: string): string {
	return /^[A-Z]{1,2}/.exec(postcode)?.[0] ?? '';
}
