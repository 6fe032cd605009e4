/** A stable message key for an English string: a readable start and a hash (FNV-1a) of the whole. */
export function textKey(english: string): string {
	let hash = 0x811c9dc5;
	for (let i = 0; i < english.length; i++) {
		hash ^= english.charCodeAt(i);
		hash = Math.imul(hash, 0x01000193) >>> 0;
	}
	const words = english
		.toLowerCase()
		.normalize('NFKD')
		.replace(/[^a-z0-9 ]+/g, ' ')
		.trim()
		.split(/\s+/)
		.slice(0, 5)
		.join('_');
	return `q_${words || 'text'}_${hash.toString(36)}`;
}
