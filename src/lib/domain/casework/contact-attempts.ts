/** Contact attempts: the ways staff try to reach a person, what happened, and what the person asked for. Pure: no I/O. */

export const CONTACT_CHANNELS = {
	phone: 'Phone call',
	text: 'Text message',
	email: 'Email',
	video: 'Video call',
	'in-person': 'In person',
	letter: 'Letter',
	referrer: 'Through the person who referred them'
} as const;
export type ContactChannel = keyof typeof CONTACT_CHANNELS;
export const CONTACT_CHANNEL_CODES = Object.keys(CONTACT_CHANNELS) as ContactChannel[];

export const CONTACT_OUTCOMES = {
	spoke: { label: 'Spoke with the person', successful: true },
	replied: { label: 'The person replied', successful: true },
	'no-answer': { label: 'No answer', successful: false },
	'message-left': { label: 'Left a message', successful: false },
	sent: { label: 'Sent a message, waiting for a reply', successful: false },
	'not-valid': { label: 'The number or address did not work', successful: false }
} as const;
export type ContactOutcome = keyof typeof CONTACT_OUTCOMES;
export const CONTACT_OUTCOME_CODES = Object.keys(CONTACT_OUTCOMES) as ContactOutcome[];

/** The outcomes that mean contact was made. */
export const SUCCESSFUL_OUTCOMES = CONTACT_OUTCOME_CODES.filter((o) => CONTACT_OUTCOMES[o].successful);

export function isSuccessfulOutcome(outcome: string): boolean {
	return (CONTACT_OUTCOMES as Record<string, { successful: boolean }>)[outcome]?.successful ?? false;
}

export function channelLabel(channel: string): string {
	return (CONTACT_CHANNELS as Record<string, string>)[channel] ?? channel;
}

export function outcomeLabel(outcome: string): string {
	return (CONTACT_OUTCOMES as Record<string, { label: string }>)[outcome]?.label ?? outcome;
}

/** What the person told us about being contacted (from their answers). */
export interface ContactPreferences {
	postAllowed: boolean | null;
	messagesMayNameService: boolean | null;
}

export function contactPreferences(answers: Record<string, unknown>): ContactPreferences {
	const yesNo = (v: unknown) => (v === 'yes' ? true : v === 'no' ? false : null);
	return { postAllowed: yesNo(answers.postAllowed), messagesMayNameService: yesNo(answers.messagesMayNameService) };
}
