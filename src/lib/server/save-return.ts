/**
 * Save and return: an email with a one-off link that reopens a draft. The email is a job (notify/outbox.ts,
 * kind 'email', about 'draft.resume_link'), queued in the transaction that records the link on the draft,
 * and sent by the worker, woken once it is committed. The link's token is a secret the database keeps only
 * as a hash, so the email cannot be rebuilt at send time: the job holds the text until it is sent or given
 * up, then the text is wiped (outbox.ts SECRET_KINDS).
 */
import { getDb } from './db';
import type { Draft } from './db/schema';
import { createResumeToken, DRAFT_LIFETIME_DAYS } from './drafts';
import { wakeWorker } from './jobs/worker';
import { log } from './log';
import { enqueueEmails } from './notify/outbox';
import { getSender } from './notify/senders';
import { crisisLine, inLocale, orCurrent, type Locale } from './notify/words';
import { m } from '$lib/paraglide/messages';
import { consumeRateLimit } from './rate-limit';
import { hashToken } from './tokens';

/** Save-and-return emails one address may be sent in SAVE_EMAIL_RECIPIENT_WINDOW_HOURS, whoever asks. */
export const SAVE_EMAILS_PER_RECIPIENT = 3;
export const SAVE_EMAIL_RECIPIENT_WINDOW_HOURS = 24;
/** What a save-and-return email is about, in its job's payload (a secret kind: its text is wiped once sent). */
export const RESUME_LINK_EMAIL_KIND = 'draft.resume_link';

/**
 * Counts one more email to `to` (lower-cased) and says whether it may go: a stranger cannot fill a person's
 * inbox from many connections. Counted by a hash, so the rate-limit table holds no address.
 */
export async function underRecipientCap(to: string, now = new Date()): Promise<boolean> {
	const key = `save-email:to:${hashToken(`save-email-recipient:${to.toLowerCase()}`)}`;
	return consumeRateLimit(key, SAVE_EMAILS_PER_RECIPIENT, SAVE_EMAIL_RECIPIENT_WINDOW_HOURS * 60 * 60, now);
}

/**
 * The email with the link. It says nothing about health or the answers. In the language the person is using
 * (the request's: there is no referral yet), unless `locale` says otherwise.
 */
export function resumeLinkEmail(link: string, locale?: Locale): { subject: string; body: string } {
	const o = inLocale(orCurrent(locale));
	return {
		subject: m.n_resume_subject({}, o),
		body: [
			m.n_resume_asked({}, o),
			'',
			m.n_resume_carry_on({ link }, o),
			'',
			m.n_resume_lasts({ days: DRAFT_LIFETIME_DAYS }, o),
			m.n_resume_ignore({}, o),
			'',
			crisisLine(o.locale)
		].join('\n')
	};
}

/**
 * Makes a new one-off link to the draft and queues the email with it, in one transaction, in the language of
 * the request that asked for it. With no mail
 * configured nothing is queued (the job would wait, holding the link) and the log says so, as before.
 */
export async function emailResumeLink(draft: Draft, to: string, origin: string, now = new Date()): Promise<void> {
	if (!getSender()) {
		log.info('email not sent: neither SMTP_URL nor NOTIFY_API_KEY is set', { kind: RESUME_LINK_EMAIL_KIND });
		return;
	}
	const db = await getDb();
	await db.transaction(async (tx) => {
		const token = await createResumeToken(draft.id, tx);
		const { subject, body } = resumeLinkEmail(`${origin}/resume/${token}`);
		await enqueueEmails(tx, [{ eventId: crypto.randomUUID(), kind: RESUME_LINK_EMAIL_KIND, to, subject, body }], now);
	});
	wakeWorker();
}
