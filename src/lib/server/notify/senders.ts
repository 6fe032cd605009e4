/**
 * Ways an email leaves the portal: SMTP (SMTP_URL) or, when SMTP is not set, GOV.UK Notify
 * (NOTIFY_API_KEY with NOTIFY_TEMPLATE_ID). With neither set there is no sender. Texts go through
 * GOV.UK Notify only (NOTIFY_API_KEY with NOTIFY_SMS_TEMPLATE_ID).
 */
import type { Transporter } from 'nodemailer';
import { getConfig } from '../config';
import type { EmailAttachment } from '../db/schema';

export interface Email {
	to: string;
	subject: string;
	text: string;
	/** Our id for the message (the outbox row), passed to Notify as its reference. */
	reference?: string;
	/** Files to attach (a meeting's .ics). SMTP attaches them; GOV.UK Notify sends the text only. */
	attachments?: EmailAttachment[];
}

export interface Sender {
	kind: 'smtp' | 'govuk-notify';
	/** Resolves once the mail server or Notify has accepted the email; rejects otherwise. */
	send: (email: Email) => Promise<void>;
}

let smtp: { url: string; transporter: Promise<Transporter> } | undefined;

function smtpSender(url: string, from: string): Sender {
	if (smtp?.url !== url)
		smtp = {
			url,
			// No pool: each email opens its own connection, so a mail server that went away and came back is found again.
			// Timeouts stay well inside the outbox lease, so a send never outlives its claim.
			transporter: import('nodemailer').then((m) =>
				m.default.createTransport({ url, connectionTimeout: 30_000, greetingTimeout: 30_000, socketTimeout: 60_000 })
			)
		};
	const transporter = smtp.transporter;
	return {
		kind: 'smtp',
		send: async (email) => {
			await (await transporter).sendMail({
				from,
				to: email.to,
				subject: email.subject,
				text: email.text,
				...(email.attachments?.length
					? { attachments: email.attachments.map((a) => ({ filename: a.filename, content: a.content, contentType: a.contentType })) }
					: {})
			});
		}
	};
}

type NotifyClient = import('notifications-node-client').NotifyClient;
let notify: { key: string; client: Promise<NotifyClient> } | undefined;

function notifyClient(apiKey: string, baseUrl: string | undefined): Promise<NotifyClient> {
	const key = `${baseUrl ?? ''} ${apiKey}`;
	if (notify?.key !== key)
		notify = {
			key,
			client: import('notifications-node-client').then(({ NotifyClient }) => {
				const client = baseUrl ? new NotifyClient(baseUrl, apiKey) : new NotifyClient(apiKey);
				// The client's axios has no timeout by default; keep each request well inside the outbox lease.
				const request = client.apiClient.restClient as (options: object) => Promise<unknown>;
				client.setClient(((options: object) => request({ ...options, timeout: 30_000 })) as unknown as Parameters<NotifyClient['setClient']>[0]);
				return client;
			})
		};
	return notify.client;
}

/** Axios errors carry the request, API key header included: keep only what explains the failure. */
function notifyError(error: unknown, what: string): Error {
	const response = (error as { response?: { status?: number; data?: { errors?: { error?: string; message?: string }[] } } }).response;
	if (!response) return Object.assign(new Error(`GOV.UK Notify could not be reached: ${(error as Error).message}`), { code: (error as { code?: string }).code });
	const detail = response.data?.errors?.map((e) => `${e.error}: ${e.message}`).join('; ') ?? '';
	return Object.assign(new Error(`GOV.UK Notify refused the ${what} (HTTP ${response.status}) ${detail}`.trim()), { responseCode: response.status });
}

function notifySender(apiKey: string, templateId: string, baseUrl: string | undefined): Sender {
	const client = notifyClient(apiKey, baseUrl);
	return {
		kind: 'govuk-notify',
		send: async (email) => {
			try {
				await (await client).sendEmail(templateId, email.to, {
					personalisation: { subject: email.subject, body: email.text },
					reference: email.reference
				});
			} catch (error) {
				throw notifyError(error, 'email');
			}
		}
	};
}

export interface Text {
	/** A UK mobile number. */
	to: string;
	body: string;
	reference?: string;
}

export interface TextSender {
	kind: 'govuk-notify';
	/** Resolves once Notify has accepted the text; rejects otherwise (within `timeoutMs`). */
	send: (text: Text, timeoutMs?: number) => Promise<void>;
}

/**
 * Texts go through GOV.UK Notify only: NOTIFY_API_KEY with NOTIFY_SMS_TEMPLATE_ID, a text message
 * template whose body is ((body)). Null when either is missing: then nothing offers texts.
 */
export function getTextSender(): TextSender | null {
	const { NOTIFY_API_KEY, NOTIFY_SMS_TEMPLATE_ID, NOTIFY_BASE_URL } = getConfig();
	if (!NOTIFY_API_KEY || !NOTIFY_SMS_TEMPLATE_ID) return null;
	const client = notifyClient(NOTIFY_API_KEY, NOTIFY_BASE_URL);
	return {
		kind: 'govuk-notify',
		send: async (text, timeoutMs = 30_000) => {
			let timer: ReturnType<typeof setTimeout> | undefined;
			const timeout = new Promise<never>((_, reject) => {
				timer = setTimeout(() => reject(Object.assign(new Error(`GOV.UK Notify did not answer within ${timeoutMs} ms`), { code: 'ETIMEDOUT' })), timeoutMs);
			});
			try {
				await Promise.race([
					(async () => {
						try {
							await (await client).sendSms(NOTIFY_SMS_TEMPLATE_ID, text.to, { personalisation: { body: text.body }, reference: text.reference });
						} catch (error) {
							throw notifyError(error, 'text message');
						}
					})(),
					timeout
				]);
			} finally {
				clearTimeout(timer);
			}
		}
	};
}

/** The configured sender, or null when neither SMTP nor GOV.UK Notify is set up. */
export function getSender(): Sender | null {
	const config = getConfig();
	if (config.SMTP_URL) return smtpSender(config.SMTP_URL, config.MAIL_FROM);
	if (config.NOTIFY_API_KEY && config.NOTIFY_TEMPLATE_ID) return notifySender(config.NOTIFY_API_KEY, config.NOTIFY_TEMPLATE_ID, config.NOTIFY_BASE_URL);
	return null;
}
