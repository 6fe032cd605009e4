/** How a meeting happens: in person at a venue, by phone, or by video call. */
export const MODE_KINDS = ['in-person', 'phone', 'video'] as const;
export type ModeKind = (typeof MODE_KINDS)[number];

export type MeetingMode = { kind: 'in-person'; venueId: string } | { kind: 'phone' } | { kind: 'video' };

/** What a person reads about where a meeting happens; the page looks up the venue's name. */
export type MeetingPlace = { kind: 'in-person'; venueName: string } | { kind: 'phone' } | { kind: 'video' };

export const MODE_LABELS: Record<ModeKind, string> = {
	'in-person': 'In person',
	phone: 'By phone',
	video: 'By video call'
};

export function isModeKind(value: unknown): value is ModeKind {
	return typeof value === 'string' && (MODE_KINDS as readonly string[]).includes(value);
}

/** One string per mode, e.g. 'phone' or 'in-person:venue-1', for comparing and de-duplicating. */
export function modeKey(mode: MeetingMode): string {
	return mode.kind === 'in-person' ? `in-person:${mode.venueId}` : mode.kind;
}

export function sameMode(a: MeetingMode, b: MeetingMode): boolean {
	return modeKey(a) === modeKey(b);
}

/** How pages and emails give a video meeting's link: "By video call: join at https://...". */
export const VIDEO_JOIN_WORDS = 'By video call: join at';

/** "by phone", "by video call", "in person at Central Library" */
export function placeWords(place: MeetingPlace): string {
	if (place.kind === 'phone') return 'by phone';
	if (place.kind === 'video') return 'by video call';
	return `in person at ${place.venueName}`;
}
