/**
 * Configuration from the environment, read once on first use (never at import time, so `npm run build`
 * needs no settings). A bad value fails fast with a message a person can act on.
 */
import { z } from 'zod';

const schema = z.object({
	DATABASE_URL: z
		.string()
		.regex(/^postgres(ql)?:\/\//, 'DATABASE_URL must start with postgres:// (leave it unset to use the embedded database)')
		.optional(),
	DATA_DIR: z.string().min(1).default('./data'),
	MIGRATIONS_DIR: z.string().min(1).default('./drizzle'),
	SMTP_URL: z
		.string()
		.regex(/^smtps?:\/\//, 'SMTP_URL must look like smtp://user:pass@host:587 or smtps://host:465')
		.optional(),
	MAIL_FROM: z.string().default('IPS Employment Support <no-reply@ips.example>'),
	NOTIFY_API_KEY: z.string().optional(),
	SEED: z.enum(['demo', 'none'], { error: 'SEED must be "demo" or "none"' }).default('demo'),
	ORIGIN: z.url({ error: 'ORIGIN must be the public address of the site, like https://ips.example.org' }).optional(),
	LOG_LEVEL: z.enum(['debug', 'info', 'warn', 'error']).default('info')
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
