/**
 * Referral sources, coded in detail and mapped to the DWP categories commissioners report on
 * (DOMAIN.md section 3; SQW Working Well evaluation, table T2-2).
 */

export const DWP_CATEGORIES = {
	'primary-care': 'Primary care',
	'community-care': 'Community care',
	'self-referral': 'Self-referral',
	'signposted-jcp': 'Signposted by Jobcentre Plus',
	'voluntary-charity': 'Voluntary or charity sector',
	other: 'Other'
} as const;

export type DwpCategory = keyof typeof DWP_CATEGORIES;

export interface SourceDefinition {
	/** What a person sees when asked how they heard about the service (in their words: "my fit note"). */
	label: string;
	/** How staff and case systems read it: "Fit Note link or QR code". */
	staffLabel: string;
	dwp: DwpCategory;
	/** Shown to the person in the "how did you hear about us" question. */
	askable: boolean;
}

export const SOURCES = {
	'gp-practice': { label: 'My GP practice', staffLabel: 'GP practice', dwp: 'primary-care', askable: true },
	'fit-note': { label: 'A link or QR code on my fit note', staffLabel: 'Fit Note link or QR code', dwp: 'primary-care', askable: true },
	'gp-text': { label: 'A text message from my GP practice', staffLabel: 'Text message from their GP practice', dwp: 'primary-care', askable: true },
	'social-prescriber': { label: 'A social prescriber or link worker', staffLabel: 'Social prescriber or link worker', dwp: 'primary-care', askable: true },
	'talking-therapies': { label: 'NHS Talking Therapies', staffLabel: 'NHS Talking Therapies', dwp: 'primary-care', askable: true },
	'community-care': { label: 'A community health or care service', staffLabel: 'Community health or care service', dwp: 'community-care', askable: true },
	'jobcentre-plus': { label: 'Jobcentre Plus or my work coach', staffLabel: 'Jobcentre Plus or their work coach', dwp: 'signposted-jcp', askable: true },
	'local-authority': { label: 'My local council', staffLabel: 'Local council', dwp: 'other', askable: true },
	'voluntary-sector': { label: 'A charity or community group', staffLabel: 'Charity or community group', dwp: 'voluntary-charity', askable: true },
	employer: { label: 'My employer', staffLabel: 'Their employer', dwp: 'other', askable: true },
	leaflet: { label: 'A leaflet or poster', staffLabel: 'Leaflet or poster', dwp: 'self-referral', askable: true },
	'social-media': { label: 'Social media', staffLabel: 'Social media', dwp: 'self-referral', askable: true },
	'friend-family': { label: 'A friend or family member', staffLabel: 'Friend or family member', dwp: 'self-referral', askable: true },
	'text-campaign': { label: 'A text message campaign', staffLabel: 'Text message campaign', dwp: 'self-referral', askable: false },
	'other-campaign': { label: 'Another campaign', staffLabel: 'Another campaign link', dwp: 'self-referral', askable: false },
	other: { label: 'Somewhere else', staffLabel: 'Somewhere else', dwp: 'other', askable: true }
} as const satisfies Record<string, SourceDefinition>;

export type SourceCode = keyof typeof SOURCES;

export const SOURCE_CODES = Object.keys(SOURCES) as SourceCode[];

export function isSourceCode(value: unknown): value is SourceCode {
	return typeof value === 'string' && Object.hasOwn(SOURCES, value);
}

/** A source code as staff read it; "Not recorded" for anything that is not a source code. */
export function sourceStaffLabel(code: unknown): string {
	return isSourceCode(code) ? SOURCES[code].staffLabel : 'Not recorded';
}

export function dwpCategoryOf(code: SourceCode): DwpCategory {
	return SOURCES[code].dwp;
}

/** Where a referral came from, as recorded on the draft and the referral. */
export interface ReferralSource {
	code: SourceCode;
	/** GP practice NHS ODS code, when the source is a practice (from a link). */
	odsCode?: string | null;
	/** The /r/<code> link that brought the person, if any (also kept when the code was unknown). */
	linkCode?: string | null;
	/** Free-text detail a person gave for "somewhere else". */
	detail?: string | null;
}

/** NHS ODS codes for GP practices: a letter and five digits, e.g. P84001. */
export function isOdsPracticeCode(value: string): boolean {
	return /^[A-Z][0-9]{5}$/.test(value);
}
