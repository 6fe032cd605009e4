import type { Transporter } from 'nodemailer';
import { getConfig } from './config';
import { log } from './log';

export interface Email {
	to: string;
	subject: string;
	text: string;
}

let transporter: Promise<Transporter> | undefined;

async function getTransporter(url: string): Promise<Transporter> {
	transporter ??= import('nodemailer').then((m) => m.default.createTransport(url));
	return transporter;
}

/**
 * Sends an email over SMTP (SMTP_URL). Without SMTP_URL the email is written to the log instead, so a
 * demo works with no mail server; a real service must set SMTP_URL.
 */
export async function sendEmail(email: Email): Promise<void> {
	const { SMTP_URL, MAIL_FROM } = getConfig();
	if (!SMTP_URL) {
		log.info('email not sent: SMTP_URL is not set', { to: email.to, subject: email.subject });
		log.debug('email body', { text: email.text });
		return;
	}
	const t = await getTransporter(SMTP_URL);
	await t.sendMail({ from: MAIL_FROM, to: email.to, subject: email.subject, text: email.text });
	log.info('email sent', { subject: email.subject });
}
