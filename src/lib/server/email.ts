import { getSender, type Email } from './notify/senders';
import { log } from './log';

export type { Email };

/**
 * Sends an email now, over SMTP (SMTP_URL) or GOV.UK Notify (NOTIFY_API_KEY). With neither set the email
 * is not sent and the log says so (without the body, which can hold a secret link), so a demo works with
 * no mail server; a real service must set one. Staff notifications do not come here: they go through the
 * outbox (`notify/outbox.ts`), which retries.
 */
export async function sendEmail(email: Email): Promise<void> {
	const sender = getSender();
	if (!sender) {
		log.info('email not sent: neither SMTP_URL nor NOTIFY_API_KEY is set', { subject: email.subject });
		return;
	}
	await sender.send(email);
	log.info('email sent', { subject: email.subject, via: sender.kind });
}
