/**
 * Which nation of the UK a postcode is in (issue 25): a person outside every programme's area in Wales,
 * Scotland or Northern Ireland is pointed to that nation's own support and crisis lines
 * (config/nations.json, src/lib/server/nations.ts). Pure; no look-ups: decided by the postcode area and,
 * where an area crosses a border, the district.
 *
 * Limits (a postcode district is a delivery area, not a border):
 * - Whole areas: Wales CF, LD, LL, NP, SA; Scotland AB, DD, DG, EH, FK, G, HS, IV, KA, KW, KY, ML, PA, PH,
 *   ZE; Northern Ireland BT. A few homes just over the border carry these (parts of NP7, NP16, NP25, LD7
 *   and LD8 are in England) and count as the area's nation.
 * - Split areas, by district: SY15 to SY25 (Montgomeryshire and Ceredigion) and CH5 to CH8 (Deeside,
 *   Flint, Mold, Holywell) are Wales, the rest of SY and CH England; TD1 to TD14 are Scotland, TD15
 *   (Berwick-upon-Tweed) England.
 * - Districts that straddle a border go with most of their homes: CH4 (Saltney and Broughton are in
 *   Wales), HR2, HR3 and HR5 (Hay-on-Wye is in Wales) and SY10 (a few Welsh villages near Oswestry) count
 *   as England; TD12 (Coldstream, with Cornhill-on-Tweed in England) counts as Scotland.
 * - Crown dependencies (GY, JE, IM) are not in the UK; they, and anything that is not a UK postcode, count
 *   as England, the nation the portal's own advice is written for.
 */
import { normalisePostcode, postcodeArea, postcodeDistrict } from './postcode';

export const NATIONS = ['england', 'wales', 'scotland', 'northern-ireland'] as const;
export type Nation = (typeof NATIONS)[number];

const WHOLE_AREAS: Record<string, Nation> = {
	CF: 'wales',
	LD: 'wales',
	LL: 'wales',
	NP: 'wales',
	SA: 'wales',
	AB: 'scotland',
	DD: 'scotland',
	DG: 'scotland',
	EH: 'scotland',
	FK: 'scotland',
	G: 'scotland',
	HS: 'scotland',
	IV: 'scotland',
	KA: 'scotland',
	KW: 'scotland',
	KY: 'scotland',
	ML: 'scotland',
	PA: 'scotland',
	PH: 'scotland',
	ZE: 'scotland',
	BT: 'northern-ireland'
};

/** Areas that cross a border: the districts (by number) in the other nation; the rest are England. */
const SPLIT_AREAS: Record<string, { nation: Nation; from: number; to: number }> = {
	SY: { nation: 'wales', from: 15, to: 25 },
	CH: { nation: 'wales', from: 5, to: 8 },
	TD: { nation: 'scotland', from: 1, to: 14 }
};

/** The nation of a postcode ("CF10 1EP" -> "wales"); England for anything else, see the limits above. */
export function nationOfPostcode(postcode: string | null | undefined): Nation {
	const normalised = postcode ? normalisePostcode(postcode) : null;
	if (!normalised) return 'england';
	const area = postcodeArea(normalised);
	const whole = WHOLE_AREAS[area];
	if (whole) return whole;
	const split = SPLIT_AREAS[area];
	if (!split) return 'england';
	const number = Number(/^[A-Z]{1,2}(\d+)/.exec(postcodeDistrict(normalised))?.[1]);
	return number >= split.from && number <= split.to ? split.nation : 'england';
}
