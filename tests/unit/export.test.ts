import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { csvCell, csvRow, parseExportQuery } from '../../src/lib/server/export';
import { parseUkDate } from '../../src/lib/domain/uk-time';
import { cursorSigningKey, decodeCursor, encodeCursor } from '../../src/lib/server/api/events';

describe('csvCell', () => {
	it('neutralises a formula and quotes it', () => {
		expect(csvCell('=HYPERLINK("http://x","y")')).toBe(`"'=HYPERLINK(""http://x"",""y"")"`);
	});

	it('puts a single quote before values starting with +, -, @, tab or carriage return', () => {
		expect(csvCell('+44 7700 900982')).toBe("'+44 7700 900982");
		expect(csvCell('-1+1')).toBe("'-1+1");
		expect(csvCell('@SUM(A1:A2)')).toBe("'@SUM(A1:A2)");
		expect(csvCell('\t=1+1')).toBe("'\t=1+1");
		expect(csvCell('\r=1+1')).toBe(`"'\r=1+1"`);
		expect(csvCell('=1+1')).toBe("'=1+1");
	});

	it('leaves ordinary values alone, including a formula character later in the text', () => {
		expect(csvCell('Sam')).toBe('Sam');
		expect(csvCell('a=b')).toBe('a=b');
		expect(csvCell('07700900982')).toBe('07700900982');
		expect(csvCell('2026-12-24')).toBe('2026-12-24');
		expect(csvCell(42)).toBe('42');
		expect(csvCell(null)).toBe('');
		expect(csvCell(undefined)).toBe('');
		expect(csvCell('')).toBe('');
	});

	it('quotes commas, quotes and new lines as RFC 4180 says', () => {
		expect(csvCell('Taylor, Sam')).toBe('"Taylor, Sam"');
		expect(csvCell('Sam "Sammy" Taylor')).toBe('"Sam ""Sammy"" Taylor"');
		expect(csvCell('line one\nline two')).toBe('"line one\nline two"');
		expect(csvCell('line one\r\nline two')).toBe('"line one\r\nline two"');
	});

	it('writes rows ending in CRLF', () => {
		expect(csvRow(['a', 'b,c', null, '=1'])).toBe(`a,"b,c",,'=1\r\n`);
	});
});

describe('export filter', () => {
	const user = { id: 'u', email: 'lead@ips.example', name: 'Lee', role: 'team-lead' as const, programmeIds: ['p1', 'p2'] };
	const now = new Date('2026-11-20T12:00:00Z');
	const q = (s: string) => parseExportQuery(user, new URLSearchParams(s), now);

	it('reads ISO and UK dates and refuses impossible ones', () => {
		expect(parseUkDate('2026-02-28')).toBe('2026-02-28');
		expect(parseUkDate('1/12/2026')).toBe('2026-12-01');
		expect(parseUkDate('2026-02-30')).toBeNull();
		expect(parseUkDate('31/4/2026')).toBeNull();
		expect(parseUkDate('yesterday')).toBeNull();
	});

	it('accepts one of the user’s programmes or all of them', () => {
		expect(q('programme=p1&from=2026-11-01&to=2026-11-20')).toMatchObject({ ok: true, filter: { programmeId: 'p1', from: '2026-11-01', to: '2026-11-20' } });
		expect(q('programme=&from=1/11/2026&to=20/11/2026')).toMatchObject({ ok: true, filter: { programmeId: null, from: '2026-11-01', to: '2026-11-20' } });
	});

	it('says what is wrong with each field', () => {
		const r = q('programme=other&from=&to=2026-13-01');
		expect(r.ok).toBe(false);
		if (r.ok) return;
		expect(Object.keys(r.errors).sort()).toEqual(['from', 'programme', 'to']);
		const backwards = q('programme=p1&from=2026-11-10&to=2026-11-01');
		expect(backwards.ok ? null : backwards.errors.to).toMatch(/after the first day/);
		const future = q('programme=p1&from=2026-12-10&to=2026-12-11');
		expect(future.ok ? null : future.errors.from).toMatch(/today or in the past/);
	});
});

describe('event cursors', () => {
	const key = cursorSigningKey(Buffer.alloc(32, 7), 'key-a');
	const otherKey = cursorSigningKey(Buffer.alloc(32, 7), 'key-b');
	const otherInstallation = cursorSigningKey(Buffer.alloc(32, 8), 'key-a');
	it('round-trip and refuse anything the API did not hand out', () => {
		expect(decodeCursor(encodeCursor(0, key), key)).toBe(0);
		expect(decodeCursor(encodeCursor(123456, key), key)).toBe(123456);
		expect(encodeCursor(5, key)).toMatch(/^[A-Za-z0-9_-]+$/);
		expect(decodeCursor('5', key)).toBeNull();
		expect(decodeCursor('abc', key)).toBeNull();
		// The old unsigned form, and edited ids with the signature of another id.
		expect(decodeCursor(Buffer.from('ev1:5').toString('base64url'), key)).toBeNull();
		const sig = Buffer.from(encodeCursor(5, key), 'base64url').toString().split('.')[1];
		expect(decodeCursor(Buffer.from(`ev2:6.${sig}`).toString('base64url'), key)).toBeNull();
		expect(decodeCursor(Buffer.from(`ev2:-1.${sig}`).toString('base64url'), key)).toBeNull();
		expect(decodeCursor(Buffer.from(`ev2:99999999999999999.${sig}`).toString('base64url'), key)).toBeNull();
		expect(decodeCursor('', key)).toBeNull();
		expect(decodeCursor('a'.repeat(100), key)).toBeNull();
	});

	it('are the same strings an independent HMAC-SHA256 gives, so cursors handed out before stay valid', () => {
		const secret = Buffer.alloc(32, 7);
		const independentKey = createHmac('sha256', secret).update('api-cursor:key-a').digest();
		expect(Buffer.from(key).equals(independentKey)).toBe(true);
		const sig = createHmac('sha256', independentKey).update('ev2:42').digest().subarray(0, 16).toString('base64url');
		const cursor = Buffer.from(`ev2:42.${sig}`, 'utf8').toString('base64url');
		expect(encodeCursor(42, key)).toBe(cursor);
		expect(decodeCursor(cursor, key)).toBe(42);
		// Padded or not, a cursor of the wrong length is refused, never thrown over.
		expect(decodeCursor(`${cursor}A`, key)).toBeNull();
	});

	it('are refused when handed out to another key or by another installation', () => {
		const cursor = encodeCursor(42, key);
		expect(decodeCursor(cursor, otherKey)).toBeNull();
		expect(decodeCursor(cursor, otherInstallation)).toBeNull();
	});
});
