import type { Draft } from './db/schema';
import { createResumeToken, DRAFT_LIFETIME_DAYS } from './drafts';
import { sendEmail } from './email';
import { consumeRateLimit } from './rate-limit';
import { hashToken } from './tokens';

/** Save-and-return emails one address may be sent in SAVE_EMAIL_RECIPIENT_WINDOW_HOURS, whoever asks. */
export const SAVE_EMAILS_PER_RECIPIENT = 3;
export const SAVE_EMAIL_RECIPIENT_WINDOW_HOURS = 24;

/**
 * Counts one more email to `to` (lower-cased) and says whether it may go: a stranger cannot fill a person's
 * inbox from many connections. Counted by a hash, so the rate-limit table holds no address.
 */
export async function underRecipientCap(to: string, now = new Date()): Promise<boolean> {
	const key = `save-email:to:${hashToken(`save-email-recipient:${to.toLowerCase()}`)}`;
	return consumeRateLimit(key, SAVE_EMAILS_PER_RECIPIENT, SAVE_EMAIL_RECIPIENT_WINDOW_HOURS * 60 * 60, now);
}

/**
 * Emails a one-off link that reopens the draft. The email says nothing about health or the answers.
 */
export async function emailResumeLink(draft: Draft, to: string, origin: string): Promise<void> {
	const token = await createResumeToken(draft.id);
	const link = `${origin}/resume/${token}`;
	await sendEmail({
		to,
		subject: 'Your link to carry on with your IPS Employment Support referral',
		text: [
			'You asked us for a link so you can come back to your referral later.',
			'',
			`Carry on where you left off: ${link}`,
			'',
			`The link works once and lasts ${DRAFT_LIFETIME_DAYS} days. After that your answers are deleted.`,
			'If you did not ask for this email, you can ignore it.',
			'',
			'This is not a crisis service. If you need help now, call NHS 111 and choose option 2, or call 999 in an emergency.'
		].join('\n')
	});
}
