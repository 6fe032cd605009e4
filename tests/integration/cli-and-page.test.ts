/**
 * Where the command line and an admin page make the same thing, they go through the same server function:
 * the same message for a bad value, and the same audit action (the command line audited as such).
 */
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { desc, eq } from 'drizzle-orm';
import { beforeAll, describe, expect, it } from 'vitest';
import { CONTROL_CHARACTER_MESSAGE, readRaw } from '../../src/lib/domain/fields';
import { inPortal } from '../../src/lib/server/audit';
import { createStaff } from '../../src/lib/server/auth/staff';
import { getDb } from '../../src/lib/server/db';
import { auditLog } from '../../src/lib/server/db/schema';
import { createLink, linkFormFor } from '../../src/lib/server/links';
import { seedProgrammes } from '../../src/lib/server/programmes';
import { createStaffAccount, staffAccountForm } from '../../src/lib/server/staff/accounts';

const exec = promisify(execFile);
const run = Math.random().toString(36).slice(2, 8);
const PROGRAMME = 'gm-ips-primary-care';

/** The command in its own process; it exits 2 when it refuses a value. */
async function cli(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
	try {
		const { stdout, stderr } = await exec(process.execPath, ['--import', 'tsx', 'scripts/cli.ts', ...args], { env: { ...process.env, LOG_LEVEL: 'warn' } });
		return { code: 0, stdout, stderr };
	} catch (error) {
		const e = error as { code: number; stdout: string; stderr: string };
		return { code: e.code, stdout: e.stdout, stderr: e.stderr };
	}
}

/** What the page's action does with a posted form: read its fields, then call the server function. */
function posted(values: Record<string, string | string[]>): FormData {
	const data = new FormData();
	for (const [k, v] of Object.entries(values)) for (const one of [v].flat()) data.append(k, one);
	return data;
}

let badLinkCli: Awaited<ReturnType<typeof cli>>;
let goodLinkCli: Awaited<ReturnType<typeof cli>>;
let badStaffCli: Awaited<ReturnType<typeof cli>>;
let goodStaffCli: Awaited<ReturnType<typeof cli>>;
const staffArgs = (email: string, name: string) => ['staff', 'create', '--email', email, '--name', name, '--role', 'specialist', '--programme', PROGRAMME, '--password', 'a long enough password'];

// The commands run before this file opens the database (PGlite allows one process at a time).
beforeAll(async () => {
	badLinkCli = await cli(['link', 'create', '--code', 'Not a code!', '--source', 'fit-note', '--label', 'Bad', '--out', '/dev/null']);
	goodLinkCli = await cli(['link', 'create', '--code', `cli-${run}`, '--source', 'leaflet', '--label', 'From the command line', '--out', '/dev/null']);
	badStaffCli = await cli(staffArgs(`bell-${run}@test.example`, 'Ring\u0007Bell'));
	goodStaffCli = await cli(staffArgs(`cli-${run}@test.example`, 'Made At The Command Line'));
}, 120_000);

async function lastAudit(action: string, match: (detail: Record<string, unknown>) => boolean) {
	const db = await getDb();
	const rows = await db.select().from(auditLog).where(eq(auditLog.action, action)).orderBy(desc(auditLog.id)).limit(100);
	return rows.find((r) => match(r.detail));
}

describe('the command line and the admin pages', () => {
	let adminId: string;
	beforeAll(async () => {
		await seedProgrammes();
		adminId = (await createStaff({ email: `admin-${run}@test.example`, name: 'Admin', role: 'admin', programmeIds: [PROGRAMME], password: 'a long enough password' })).staff.id;
	});

	it('refuse a bad link code with the same message', async () => {
		const form = await linkFormFor();
		const page = await createLink(readRaw(form.fields, posted({ code: 'Not a code!', sourceCode: 'fit-note', label: 'Bad' })), inPortal(adminId));
		expect(page.ok).toBe(false);
		if (page.ok) return;
		expect(page.errors.code).toMatch(/lower-case letters/);
		expect(badLinkCli.code).toBe(2);
		expect(badLinkCli.stderr).toContain(`--code: ${page.errors.code}`);
	});

	it('make a link with the same audit action, the command line audited as such', async () => {
		const form = await linkFormFor();
		const page = await createLink(readRaw(form.fields, posted({ code: `page-${run}`, sourceCode: 'leaflet', label: 'From the page' })), inPortal(adminId));
		expect(page.ok).toBe(true);
		expect(goodLinkCli.code).toBe(0);
		const fromCli = await lastAudit('link.created', (d) => d.code === `cli-${run}`);
		const fromPage = await lastAudit('link.created', (d) => d.code === `page-${run}`);
		expect(fromCli).toMatchObject({ staffId: null, detail: { via: 'command line', sourceCode: 'leaflet' } });
		expect(fromPage).toMatchObject({ staffId: adminId, detail: { via: 'portal', sourceCode: 'leaflet' } });
	});

	it('refuse a control character in a staff name with the same field message', async () => {
		const form = await staffAccountForm();
		const values = { email: `bell-page-${run}@test.example`, name: 'Ring\u0007Bell', role: 'specialist', programmeIds: [PROGRAMME], password: 'a long enough password' };
		const page = await createStaffAccount(readRaw(form.fields, posted(values)), inPortal(adminId));
		expect(page.ok ? null : page.errors).toEqual({ name: CONTROL_CHARACTER_MESSAGE });
		expect(badStaffCli.code).toBe(2);
		expect(badStaffCli.stderr).toContain(`--name: ${CONTROL_CHARACTER_MESSAGE}`);
	});

	it('create a staff member with the same audit action', async () => {
		const form = await staffAccountForm();
		const values = { email: `page-${run}@test.example`, name: 'Made On The Page', role: 'specialist', programmeIds: [PROGRAMME], password: 'a long enough password' };
		expect((await createStaffAccount(readRaw(form.fields, posted(values)), inPortal(adminId))).ok).toBe(true);
		expect(goodStaffCli.code).toBe(0);
		expect(await lastAudit('staff.created', (d) => d.email === `cli-${run}@test.example`)).toMatchObject({ staffId: null, detail: { via: 'command line' } });
		expect(await lastAudit('staff.created', (d) => d.email === `page-${run}@test.example`)).toMatchObject({ staffId: adminId, detail: { via: 'portal' } });
	});
});
