import { execFileSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { describeError } from '../../src/lib/server/log';

/** A database error as drizzle wraps it: the message repeats the query and its parameters. */
function failedQuery(): Error {
	const cause = Object.assign(new Error('invalid byte sequence for encoding "UTF8": 0x00'), { code: '22021' });
	return new Error('Failed query: update "draft" set "answers" = $1\nparams: {"givenName":"Alice","conditionDescription":"Back pain"}', { cause });
}

describe('describeError', () => {
	it('keeps the kind, the database code and where it was thrown, never the message', () => {
		const described = describeError(failedQuery());
		const text = JSON.stringify(described);
		expect(described).toMatchObject({ kind: 'Error', code: '22021' });
		expect(text).not.toContain('Alice');
		expect(text).not.toContain('Back pain');
		expect(text).not.toContain('0x00');
		expect(Array.isArray(described.stack)).toBe(true);
	});
});

describe('log lines', () => {
	it('redact personal fields at the top level and one level down, and reduce errors to their kind', () => {
		const script = `
			import { log } from './src/lib/server/log.ts';
			const cause = Object.assign(new Error('duplicate key: (email)=(alice@example.com)'), { code: '23505' });
			log.error('draft save failed', { errorId: 'abc', error: new Error('params: Alice', { cause }), draft: { answers: { givenName: 'Alice' }, email: 'alice@example.com' }, email: 'alice@example.com', phone: '07700900982' });
		`;
		const out = execFileSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], { encoding: 'utf8', env: { ...process.env, LOG_LEVEL: 'info' } });
		const line = JSON.parse(out.trim().split('\n').at(-1)!);
		expect(line.msg).toBe('draft save failed');
		expect(line.errorId).toBe('abc');
		expect(line.error.code).toBe('23505');
		expect(out).not.toContain('Alice');
		expect(out).not.toContain('alice@example.com');
		expect(out).not.toContain('07700900982');
	});
});
