/**
 * Configuration from the environment, read once on first use (never at import time, so `npm run build`
 * needs no settings). A bad value fails fast with a message a person can act on.
 */
import { z } from 'zod';

/** A number of milliseconds from the environment, with messages a person can act on. */
function ms(name: string, min: number, max: number, fallback: number) {
	return z.coerce
		.number({ error: `${name} must be a number of milliseconds, like ${fallback}` })
		.int(`${name} must be a whole number of milliseconds`)
		.min(min, `${name} must be at least ${min}`)
		.max(max, `${name} must be at most ${max}`)
		.default(fallback);
}

const schema = z.object({
	DATABASE_URL: z
		.string()
		.regex(/^postgres(ql)?:\/\//, 'DATABASE_URL must start with postgres:// (leave it unset to use the embedded database)')
		.optional(),
	DATA_DIR: z.string().min(1).default('./data'),
	MIGRATIONS_DIR: z.string().min(1).default('./drizzle'),
	/** The support and crisis lines for each nation of the UK (src/lib/server/nations.ts), read on first use. */
	NATIONS_FILE: z.string().min(1).default('./config/nations.json'),
	SMTP_URL: z
		.string()
		.regex(/^smtps?:\/\//, 'SMTP_URL must look like smtp://user:pass@host:587 or smtps://host:465')
		.optional(),
	MAIL_FROM: z.string().default('IPS Employment Support <no-reply@ips.example>'),
	NOTIFY_API_KEY: z.string().min(73, 'NOTIFY_API_KEY must be a whole GOV.UK Notify API key (name, service id and secret)').optional(),
	/** A GOV.UK Notify email template whose subject is ((subject)) and whose body is ((body)). */
	NOTIFY_TEMPLATE_ID: z.uuid({ error: 'NOTIFY_TEMPLATE_ID must be the id of a GOV.UK Notify email template, like 3a1b...-...' }).optional(),
	/** A GOV.UK Notify text message template whose body is ((body)): sign-in codes (and reminders) by text. */
	NOTIFY_SMS_TEMPLATE_ID: z.uuid({ error: 'NOTIFY_SMS_TEMPLATE_ID must be the id of a GOV.UK Notify text message template, like 3a1b...-...' }).optional(),
	NOTIFY_BASE_URL: z.url({ error: 'NOTIFY_BASE_URL must be an address like https://api.notifications.service.gov.uk' }).optional(),
	/** How often the notifier looks for new events and emails due to be sent. */
	NOTIFY_POLL_MS: z.coerce
		.number({ error: 'NOTIFY_POLL_MS must be a number of milliseconds, like 2000' })
		.int('NOTIFY_POLL_MS must be a whole number of milliseconds')
		.min(50, 'NOTIFY_POLL_MS must be at least 50')
		.max(3_600_000, 'NOTIFY_POLL_MS must be at most 3600000 (one hour)')
		.default(2000),
	/** How often webhook delivery looks for new events and deliveries due (docs/webhooks.md). */
	WEBHOOK_POLL_MS: ms('WEBHOOK_POLL_MS', 50, 3_600_000, 1000),
	/** How long a receiver has to answer one webhook before the attempt counts as failed. */
	WEBHOOK_TIMEOUT_MS: ms('WEBHOOK_TIMEOUT_MS', 100, 60_000, 10_000),
	/** The first retry waits up to this long; each further one up to twice as long (full jitter)... */
	WEBHOOK_RETRY_BASE_MS: ms('WEBHOOK_RETRY_BASE_MS', 10, 3_600_000, 5000),
	/** ...but never more than this. Deliveries are retried for 3 days, then dead-lettered. */
	WEBHOOK_RETRY_MAX_MS: ms('WEBHOOK_RETRY_MAX_MS', 10, 86_400_000, 3_600_000),
	/** How many webhooks one app instance sends at the same time. */
	WEBHOOK_CONCURRENCY: z.coerce
		.number({ error: 'WEBHOOK_CONCURRENCY must be a number, like 8' })
		.int('WEBHOOK_CONCURRENCY must be a whole number')
		.min(1, 'WEBHOOK_CONCURRENCY must be at least 1')
		.max(64, 'WEBHOOK_CONCURRENCY must be at most 64')
		.default(8),
	/**
	 * "true" lets webhooks go over plain http and to addresses inside the server's own network (loopback,
	 * private, link-local), for local testing only. Unset or "false": https to public addresses only.
	 */
	WEBHOOK_ALLOW_PRIVATE: z
		.enum(['true', 'false'], { error: 'WEBHOOK_ALLOW_PRIVATE must be "true" (local testing only) or "false"' })
		.default('false')
		.transform((v) => v === 'true'),
	/** Staff are signed out after this many minutes without use (a fraction of a minute is allowed, for tests). */
	STAFF_IDLE_MINUTES: z.coerce
		.number({ error: 'STAFF_IDLE_MINUTES must be a number of minutes, like 480' })
		.positive('STAFF_IDLE_MINUTES must be more than 0')
		.max(7 * 24 * 60, 'STAFF_IDLE_MINUTES must be at most 10080 (one week)')
		.default(480),
	REPORT_SMALL_NUMBER: z.coerce
		.number({ error: 'REPORT_SMALL_NUMBER must be a whole number, like 5' })
		.int('REPORT_SMALL_NUMBER must be a whole number, like 5')
		.min(2, 'REPORT_SMALL_NUMBER must be 2 or more')
		.max(100, 'REPORT_SMALL_NUMBER must be at most 100')
		.default(5),
	SEED: z.enum(['demo', 'none'], { error: 'SEED must be "demo" or "none"' }).default('demo'),
	/** Embedded database only: the running portal writes a backup of it into this folder (docs/operations.md). */
	BACKUP_DIR: z.string().min(1).optional(),
	/** How often the portal backs the embedded database up (a fraction of a minute is allowed, for tests). */
	BACKUP_INTERVAL_MINUTES: z.coerce
		.number({ error: 'BACKUP_INTERVAL_MINUTES must be a number of minutes, like 60' })
		.min(0.05, 'BACKUP_INTERVAL_MINUTES must be at least 0.05 (3 seconds)')
		.max(7 * 24 * 60, 'BACKUP_INTERVAL_MINUTES must be at most 10080 (one week)')
		.default(60),
	/** How many of its backups the portal keeps in BACKUP_DIR (the oldest are deleted). */
	BACKUP_KEEP: z.coerce
		.number({ error: 'BACKUP_KEEP must be a number of backups, like 48' })
		.int('BACKUP_KEEP must be a whole number')
		.min(1, 'BACKUP_KEEP must be at least 1')
		.max(10_000, 'BACKUP_KEEP must be at most 10000')
		.default(48),
	ORIGIN: z.url({ error: 'ORIGIN must be the public address of the site, like https://ips.example.org' }).optional(),
	LOG_LEVEL: z.enum(['debug', 'info', 'warn', 'error']).default('info'),
	PORT: z.string().default('3000')
})
	.refine((c) => !c.NOTIFY_API_KEY || c.NOTIFY_TEMPLATE_ID, {
		path: ['NOTIFY_TEMPLATE_ID'],
		error: 'NOTIFY_TEMPLATE_ID must be set with NOTIFY_API_KEY: a GOV.UK Notify email template with subject ((subject)) and body ((body))'
	})
	.refine((c) => !c.BACKUP_DIR || !c.DATABASE_URL, {
		path: ['BACKUP_DIR'],
		error: 'BACKUP_DIR is for the embedded database: with DATABASE_URL, back PostgreSQL up with pg_dump or point-in-time recovery (docs/operations.md), and leave BACKUP_DIR unset'
	})
	.refine((c) => !c.NOTIFY_SMS_TEMPLATE_ID || c.NOTIFY_API_KEY, {
		path: ['NOTIFY_API_KEY'],
		error: 'NOTIFY_API_KEY must be set with NOTIFY_SMS_TEMPLATE_ID: texts (sign-in codes, meeting reminders) are sent through GOV.UK Notify'
	});

export type Config = z.infer<typeof schema>;

let config: Config | undefined;

export function getConfig(): Config {
	if (config) return config;
	const env = Object.fromEntries(Object.entries(process.env).filter(([, v]) => v !== undefined && v !== ''));
	const parsed = schema.safeParse(env);
	if (!parsed.success) {
		const lines = parsed.error.issues.map((i) => `  ${i.path.join('.')}: ${i.message}`);
		throw new Error(`The portal cannot start because its settings are wrong:\n${lines.join('\n')}`);
	}
	config = parsed.data;
	return config;
}

/** The public address of the site, for links in emails (ORIGIN, else localhost on PORT as `npm start` does). */
export function siteOrigin(): string {
	const { ORIGIN, PORT } = getConfig();
	return (ORIGIN ?? `http://localhost:${PORT}`).replace(/\/+$/, '');
}
