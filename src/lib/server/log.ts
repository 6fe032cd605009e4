/**
 * Structured JSON logs on stdout (pino), one line per entry, with one redaction rule for every line:
 * personal fields are never written, and errors are logged by kind and code only, because a database
 * error's message can carry a query's parameters (a whole draft) and a validation error's message can quote
 * what a person typed.
 */
import pino from 'pino';

/** Keys whose values are never logged, at the top level or one level down. */
export const PERSONAL_KEYS = [
	'answers',
	'values',
	'raw',
	'params',
	'parameters',
	'query',
	'body',
	'name',
	'givenName',
	'familyName',
	'preferredName',
	'email',
	'to',
	'phone',
	'mobile',
	'address',
	'postcode',
	'dateOfBirth',
	'nhsNumber',
	'password',
	'token',
	'secret',
	'note',
	'text',
	'subject'
] as const;

/** What may be said about an error: its kind, database or system code, constraint, and where it was thrown. */
export function describeError(error: unknown): Record<string, unknown> {
	const cause = (error as { cause?: unknown })?.cause;
	const inner = cause instanceof Error ? cause : error;
	const code = (inner as { code?: unknown })?.code ?? (error as { code?: unknown })?.code;
	const constraint = (inner as { constraint_name?: unknown; constraint?: unknown })?.constraint_name ?? (inner as { constraint?: unknown })?.constraint;
	const stack = error instanceof Error && error.stack ? error.stack.split('\n').filter((l) => /^\s+at /.test(l)).slice(0, 6).map((l) => l.trim()) : undefined;
	return {
		kind: inner instanceof Error ? inner.constructor.name : typeof inner,
		...(error !== inner && error instanceof Error ? { wrappedIn: error.constructor.name } : {}),
		...(typeof code === 'string' || typeof code === 'number' ? { code } : {}),
		...(typeof constraint === 'string' ? { constraint } : {}),
		...(stack ? { stack } : {})
	};
}

/** A short id to show a person and to find the log line by. */
export function newErrorId(): string {
	return crypto.randomUUID().slice(0, 8);
}

const logger = pino({
	level: process.env.LOG_LEVEL || 'info',
	base: undefined,
	timestamp: pino.stdTimeFunctions.isoTime,
	formatters: { level: (label) => ({ level: label }) },
	redact: { paths: PERSONAL_KEYS.flatMap((k) => [k, `*.${k}`]), censor: '[redacted]' },
});

function safeFields(fields?: Record<string, unknown>): Record<string, unknown> | undefined {
	if (!fields) return undefined;
	const out: Record<string, unknown> = {};
	for (const [key, value] of Object.entries(fields)) out[key] = value instanceof Error ? describeError(value) : value;
	return out;
}

type Fields = Record<string, unknown>;

export const log = {
	debug: (msg: string, fields?: Fields) => logger.debug(safeFields(fields) ?? {}, msg),
	info: (msg: string, fields?: Fields) => logger.info(safeFields(fields) ?? {}, msg),
	warn: (msg: string, fields?: Fields) => logger.warn(safeFields(fields) ?? {}, msg),
	error: (msg: string, fields?: Fields) => logger.error(safeFields(fields) ?? {}, msg)
};
