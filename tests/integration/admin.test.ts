import { desc, eq, sql } from 'drizzle-orm';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Programme } from '../../src/lib/domain/programme';
import { validateRaw, type RawValues } from '../../src/lib/domain/fields';
import { programmeForm, programmeFormValues } from '../../src/lib/domain/programme-form';
import { inPortal, listAudit } from '../../src/lib/server/audit';
import { createSession, validateSessionToken } from '../../src/lib/server/auth/sessions';
import { checkPassword, createStaff } from '../../src/lib/server/auth/staff';
import { getDb } from '../../src/lib/server/db';
import { auditLog, programme, programmeRevision, session, staff } from '../../src/lib/server/db/schema';
import { createLink, qrPng } from '../../src/lib/server/links';
import { getEditableProgramme, getProgramme, listProgrammes, listRevisions, seedProgrammes, updateProgramme } from '../../src/lib/server/programmes';
import { createStaffAccount, disableStaff, enableStaff, getStaffForAdmin, updateStaffAccess } from '../../src/lib/server/staff/accounts';

// Unique names, so the file can run again on a PostgreSQL database that keeps earlier runs' rows.
const run = Math.random().toString(36).slice(2, 8);
const PROGRAMME_ID = `test-admin-${run}`;
/** A second programme of the tests' own: nothing here touches the demo programmes other test files rely on. */
const OTHER_ID = `test-admin-${run}-b`;
const PASSWORD = 'a long enough password';

const testProgramme: Programme = {
	id: PROGRAMME_ID,
	name: 'Test programme for administration',
	kind: 'primary-care',
	summary: 'A programme only these tests use.',
	area: { postcodes: ['ZZ'], gpPractices: [] },
	areaDescription: 'Nowhere real',
	rules: {
		minAge: 18,
		maxAge: null,
		employmentStatuses: ['out-of-work'],
		secondaryCare: 'ignore',
		signpostProgrammeId: null,
		excludeOtherEmploymentProgrammes: true,
		requireRightToWork: true
	},
	contactTargetWorkingDays: 5,
	helpline: { phone: '0161 496 0999', hours: 'Weekdays, 9am to 5pm' },
	teamEmail: 'test-team@ips.example',
	alternatives: [{ name: 'Jobcentre Plus', description: 'Your local Jobcentre.', url: 'https://www.gov.uk/contact-jobcentre-plus' }]
};

let adminId: string;
let programmeIds: string[];

function form(overrides: RawValues, base: RawValues): RawValues {
	return { ...base, ...overrides };
}

/** The editor's form for a programme, checked as the page checks it. */
function validateProgrammeForm(values: RawValues, current: Programme, ids: string[]) {
	const result = validateRaw(programmeForm(current, ids, [], Number(values.altRows)), values);
	return result.ok ? { ok: true as const, programme: result.values.programme } : { ok: false as const, errors: result.errors };
}

async function auditRows(action: string, filter: (detail: Record<string, unknown>) => boolean = () => true) {
	const db = await getDb();
	const rows = await db.select().from(auditLog).where(eq(auditLog.action, action)).orderBy(desc(auditLog.id)).limit(200);
	return rows.filter((r) => filter(r.detail));
}

beforeAll(async () => {
	await seedProgrammes();
	await seedProgrammes({ version: 1, programmes: [testProgramme, { ...testProgramme, id: OTHER_ID, name: 'Second test programme' }] });
	programmeIds = (await listProgrammes()).map((p) => p.id);
	const admin = await createStaff({ email: `admin-${run}@test.example`, name: 'Test Admin', role: 'admin', programmeIds: [PROGRAMME_ID], password: PASSWORD });
	adminId = admin.staff.id;
});

describe('programme administration', () => {
	it('refuses invalid values with a message per field and writes nothing', async () => {
		const current = (await getEditableProgramme(PROGRAMME_ID))!;
		const base = programmeFormValues(current.programme, current.version);
		const result = validateProgrammeForm(
			form(
				{
					contactTargetWorkingDays: '0',
					postcodes: 'M, 12X',
					maxAge: '20',
					teamEmail: 'not an email',
					employmentStatuses: [],
					secondaryCare: 'signpost',
					signpostProgrammeId: '',
					'alt-1-name': 'Half filled',
					'alt-1-description': '',
					'alt-1-url': 'ftp://example.org',
					'alt-1-phone': ''
				},
				base
			),
			current.programme,
			programmeIds
		);
		expect(result.ok).toBe(false);
		if (result.ok) return;
		expect(Object.keys(result.errors)).toEqual([
			'postcodes',
			'maxAge',
			'employmentStatuses',
			'signpostProgrammeId',
			'contactTargetWorkingDays',
			'teamEmail',
			'alt-1-description',
			'alt-1-url'
		]);
		expect(result.errors.postcodes).toContain('"12X"');
		expect(result.errors.contactTargetWorkingDays).toMatch(/from 1 to 30/);
		expect((await getEditableProgramme(PROGRAMME_ID))!.version).toBe(current.version);
	});

	it('saves a new version in one transaction: revision rows, seed_version cleared, audit with the changed fields', async () => {
		const current = (await getEditableProgramme(PROGRAMME_ID))!;
		expect(current.version).toBe(1);
		const base = programmeFormValues(current.programme, current.version);
		const alternatives = { 'alt-1-name': 'Citizens Advice', 'alt-1-description': 'Free advice about work.', 'alt-1-url': '', 'alt-1-phone': '0800 144 8848' };
		const result = validateProgrammeForm(
			form({ contactTargetWorkingDays: '7', minAge: '25', maxAge: '64', postcodes: 'zz\nzy1', caseloadCap: '30', ...alternatives }, base),
			current.programme,
			programmeIds
		);
		expect(result.ok).toBe(true);
		if (!result.ok) return;
		const saved = await updateProgramme(PROGRAMME_ID, result.programme, adminId, current.version);
		expect(saved).toEqual({
			ok: true,
			version: 2,
			changed: ['area.postcodes', 'rules.minAge', 'rules.maxAge', 'contactTargetWorkingDays', 'caseloadCap', 'alternatives']
		});

		const db = await getDb();
		const [row] = await db.select().from(programme).where(eq(programme.id, PROGRAMME_ID));
		expect(row).toMatchObject({ version: 2, seedVersion: null, contactTargetWorkingDays: 7, caseloadCap: 30 });

		const revisions = await db.select().from(programmeRevision).where(eq(programmeRevision.programmeId, PROGRAMME_ID)).orderBy(programmeRevision.version);
		expect(revisions.map((r) => [r.version, r.staffId])).toEqual([
			[1, null],
			[2, adminId]
		]);
		expect(revisions[0].data).toMatchObject({ contactTargetWorkingDays: 5, rules: { minAge: 18 } });
		expect(revisions[1].data).toMatchObject({ contactTargetWorkingDays: 7, caseloadCap: 30, rules: { minAge: 25, maxAge: 64 }, area: { postcodes: ['ZZ', 'ZY1'] } });
		expect((await listRevisions(PROGRAMME_ID)).map((r) => [r.version, r.staffName])).toEqual([
			[2, 'Test Admin'],
			[1, null]
		]);

		const audit = await auditRows('programme.updated');
		const mine = audit.filter((a) => a.programmeId === PROGRAMME_ID);
		expect(mine).toHaveLength(1);
		expect(mine[0]).toMatchObject({ staffId: adminId, detail: { version: 2, changed: saved.ok ? saved.changed : [] } });
	});

	it('the checker and referrals read the new rules at once', async () => {
		const p = await getProgramme(PROGRAMME_ID);
		expect(p?.rules).toMatchObject({ minAge: 25, maxAge: 64 });
		expect(p?.contactTargetWorkingDays).toBe(7);
		expect(p?.alternatives.map((a) => a.name)).toEqual(['Jobcentre Plus', 'Citizens Advice']);
		expect((await listProgrammes()).find((x) => x.id === PROGRAMME_ID)?.area.postcodes).toEqual(['ZZ', 'ZY1']);
	});

	it('refuses a save from a form opened before someone else saved, and does not version an unchanged save', async () => {
		const current = (await getEditableProgramme(PROGRAMME_ID))!;
		expect(await updateProgramme(PROGRAMME_ID, current.programme, adminId, 1)).toEqual({ ok: false, reason: 'stale', currentVersion: 2 });
		expect(await updateProgramme(PROGRAMME_ID, current.programme, adminId, 2)).toEqual({ ok: true, version: 2, changed: [] });
		expect((await getEditableProgramme(PROGRAMME_ID))!.version).toBe(2);
	});

	it('a newer seed file no longer overwrites a programme an admin edited', async () => {
		await seedProgrammes({ version: 99, programmes: [testProgramme] });
		expect((await getProgramme(PROGRAMME_ID))?.contactTargetWorkingDays).toBe(7);
	});
});

describe('staff administration', () => {
	let personId: string;
	const email = `new-person-${run}@test.example`;

	it('refuses an invalid new account with a message per field', async () => {
		const result = await createStaffAccount({ email: 'nope', name: '', role: 'boss', programmeIds: [], practices: 'P1', password: 'short' }, inPortal(adminId));
		expect(result.ok).toBe(false);
		if (result.ok) return;
		expect(Object.keys(result.errors).sort()).toEqual(['email', 'name', 'password', 'practices', 'programmeIds', 'role']);
	});

	it('refuses an address with letters beyond a to z with a message beside the email field, keeping what was typed', async () => {
		for (const address of [`ünicode-${run}@example.org`, `\u0430dmin-${run}@example.org`]) {
			const values = { email: address, name: 'Ünal Person', role: 'specialist', programmeIds: [PROGRAMME_ID], practices: 'Y99901', password: PASSWORD };
			const result = await createStaffAccount(values, inPortal(adminId));
			expect(result.ok, address).toBe(false);
			if (result.ok) return;
			expect(Object.keys(result.errors)).toEqual(['email']);
			expect(result.errors.email).toMatch(/letters a to z/);
			expect(result.raw).toMatchObject({ email: address, name: 'Ünal Person', role: 'specialist', practices: 'Y99901', password: '' });
		}
	});

	it('creates an account, returns the set-up details once and audits it', async () => {
		const result = await createStaffAccount(
			{ email: email.toUpperCase(), name: 'New Person', role: 'specialist', programmeIds: [PROGRAMME_ID], practices: 'y99901, Y99902', password: PASSWORD },
			inPortal(adminId)
		);
		expect(result.ok).toBe(true);
		if (!result.ok) return;
		personId = result.staff.id;
		expect(result.totpUri).toContain(`secret=${result.totpSecret}`);
		expect(result.recoveryCodes).toHaveLength(10);
		expect(result.qrSvg).toMatch(/^<svg/);
		expect(result.staff).toMatchObject({ email, role: 'specialist', practices: ['Y99901', 'Y99902'] });
		const audit = await auditRows('staff.created', (d) => d.staffId === personId);
		expect(audit).toHaveLength(1);
		expect(audit[0].staffId).toBe(adminId);
		expect(JSON.stringify(audit[0].detail)).not.toContain(result.totpSecret);

		const again = await createStaffAccount({ email, name: 'Twin', role: 'specialist', programmeIds: [PROGRAMME_ID], practices: '', password: PASSWORD }, inPortal(adminId));
		expect(again.ok).toBe(false);
		if (!again.ok) expect(again.errors.email).toMatch(/already/);
	});

	it('changes role, programmes and practices, and audits what changed', async () => {
		const result = await updateStaffAccess(personId, { role: 'team-lead', programmeIds: [PROGRAMME_ID, OTHER_ID], practices: '' }, adminId);
		expect(result).toEqual({ ok: true, changed: ['role', 'programmes', 'practices'] });
		expect(await getStaffForAdmin(personId)).toMatchObject({ role: 'team-lead', practices: [], programmeIds: expect.arrayContaining([OTHER_ID, PROGRAMME_ID]) });
		const [audit] = await auditRows('staff.updated', (d) => d.staffId === personId);
		expect(audit.detail).toMatchObject({ changed: ['role', 'programmes', 'practices'], role: { from: 'specialist', to: 'team-lead' } });
	});

	it('an admin cannot take away their own admin role or disable themselves', async () => {
		const demote = await updateStaffAccess(adminId, { role: 'specialist', programmeIds: [PROGRAMME_ID], practices: '' }, adminId);
		expect(demote.ok).toBe(false);
		expect(await disableStaff(adminId, adminId)).toMatchObject({ ok: false, errors: { disable: expect.any(String) } });
		expect((await getStaffForAdmin(adminId))?.role).toBe('admin');
	});

	it('disabling signs the person out everywhere and stops sign-in; enabling lets them back', async () => {
		const db = await getDb();
		const phone = await createSession(personId, true);
		const laptop = await createSession(personId, true);
		expect(await validateSessionToken(phone.token)).not.toBeNull();

		expect(await disableStaff(personId, adminId)).toEqual({ ok: true, changed: ['disabled'] });
		expect(await db.select().from(session).where(eq(session.staffId, personId))).toHaveLength(0);
		expect(await validateSessionToken(phone.token)).toBeNull();
		expect(await validateSessionToken(laptop.token)).toBeNull();
		expect((await checkPassword(email, PASSWORD)).ok).toBe(false);
		const [disabled] = await auditRows('staff.disabled', (d) => d.staffId === personId);
		expect(disabled).toMatchObject({ staffId: adminId, detail: { sessionsEnded: 2 } });

		expect(await enableStaff(personId, adminId)).toEqual({ ok: true, changed: ['enabled'] });
		expect((await checkPassword(email, PASSWORD)).ok).toBe(true);
		expect(await auditRows('staff.enabled', (d) => d.staffId === personId)).toHaveLength(1);
		const [row] = await db.select({ disabledAt: staff.disabledAt }).from(staff).where(eq(staff.id, personId));
		expect(row.disabledAt).toBeNull();
	});
});

describe('links', () => {
	it('refuses bad values beside each field, creates a good link and audits it', async () => {
		const bad = await createLink({ code: 'No Spaces!', sourceCode: 'carrier-pigeon', odsCode: 'X1', programmeId: 'nowhere', label: '' }, inPortal(adminId));
		expect(bad.ok ? [] : Object.keys(bad.errors)).toEqual(['code', 'sourceCode', 'odsCode', 'programmeId', 'label']);

		const values = { code: ` Fit-${run} `, sourceCode: 'fit-note', odsCode: 'p84002', programmeId: PROGRAMME_ID, label: 'Fit Note, Test Surgery' };
		expect(await createLink(values, inPortal(adminId))).toMatchObject({ ok: true, link: { code: `fit-${run}`, odsCode: 'P84002' } });
		expect(await auditRows('link.created', (d) => d.code === `fit-${run}`)).toMatchObject([{ staffId: adminId, detail: { via: 'portal' } }]);
		const again = await createLink(values, inPortal(adminId));
		expect(again.ok ? null : again.errors.code).toMatch(/already/);

		const png = await qrPng(`https://ips.example.org/r/fit-${run}`);
		expect([...png.subarray(0, 8)]).toEqual([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
	});
});

/** The database's message when a statement fails (drizzle wraps it as the cause), or "succeeded". */
async function refusal(query: PromiseLike<unknown>): Promise<string> {
	try {
		await query;
		return 'succeeded';
	} catch (error) {
		const e = error as Error & { cause?: Error };
		return `${e.message} ${e.cause?.message ?? ''}`;
	}
}

describe('the audit log', () => {
	it('pages newest first and filters by action', async () => {
		const first = await listAudit({ limit: 2 });
		expect(first.entries).toHaveLength(2);
		expect(first.entries[0].id).toBeGreaterThan(first.entries[1].id);
		expect(first.nextBefore).toBe(first.entries[1].id);
		const second = await listAudit({ limit: 2, before: first.nextBefore });
		expect(second.entries[0].id).toBeLessThan(first.entries[1].id);

		const updates = await listAudit({ action: 'programme.updated' });
		expect(updates.entries.length).toBeGreaterThan(0);
		expect(updates.entries.every((e) => e.action === 'programme.updated')).toBe(true);
		expect(updates.entries.find((e) => e.programmeId === PROGRAMME_ID)).toMatchObject({ staffName: 'Test Admin', staffEmail: `admin-${run}@test.example` });
	});

	it('cannot be changed or deleted: the database refuses', async () => {
		const db = await getDb();
		const [last] = await db.select().from(auditLog).where(eq(auditLog.staffId, adminId)).orderBy(desc(auditLog.id)).limit(1);
		await expect(refusal(db.execute(sql`update audit_log set action = 'x'`))).resolves.toMatch(/append-only/);
		await expect(refusal(db.execute(sql`update audit_log set detail = '{}'::jsonb where id = ${last.id}`))).resolves.toMatch(/append-only/);
		await expect(refusal(db.execute(sql`delete from audit_log where id = ${last.id}`))).resolves.toMatch(/append-only/);
		await expect(refusal(db.delete(auditLog))).resolves.toMatch(/append-only/);
		const [still] = await db.select().from(auditLog).where(eq(auditLog.id, last.id));
		expect(still).toEqual(last);
	});
});
