/**
 * Issue 23 part 1: checker outcomes and link activity, anonymously. A person's way through the checker pages
 * (the routes themselves, with a cookie jar) counts the link visit, the check started and the result reached;
 * a changed answer updates that result instead of counting twice; sending the referral cuts the draft's tie to
 * the outcome row; and the row holds nothing that identifies a person.
 */
import { and, eq, getTableColumns, sql } from 'drizzle-orm';
import { beforeAll, describe, expect, it } from 'vitest';
import { ukDate } from '../../src/lib/domain/uk-time';
import { NO_LINK, UNKNOWN_LINK } from '../../src/lib/server/checker-stats';
import { getDb } from '../../src/lib/server/db';
import { checkerOutcome, draft, linkActivity } from '../../src/lib/server/db/schema';
import { getDraftByToken } from '../../src/lib/server/drafts';
import { DRAFT_COOKIE } from '../../src/lib/server/journey';
import { seedProgrammes } from '../../src/lib/server/programmes';
import { submitReferral } from '../../src/lib/server/referrals';
import * as checkPage from '../../src/routes/check/[step]/+page.server';
import * as linkRoute from '../../src/routes/r/[code]/+server';
import * as referPage from '../../src/routes/refer/[step]/+page.server';
import { cookieJar, outcome, routeEvent } from '../support/route-outcome';

beforeAll(async () => {
	await seedProgrammes();
});

async function activity(linkCode: string) {
	const db = await getDb();
	const [row] = await db.select().from(linkActivity).where(and(eq(linkActivity.day, ukDate(new Date())), eq(linkActivity.linkCode, linkCode)));
	return { visits: row?.visits ?? 0, checksStarted: row?.checksStarted ?? 0 };
}

/** One browser: its cookies, and a POST of one checker page through the route. */
function browser() {
	const jar = cookieJar();
	const answer = async (step: string, form: Record<string, string>) =>
		outcome(() => checkPage.actions.default(routeEvent(`/check/${step}`, { params: { step }, form, cookies: jar.cookies, client: '203.0.113.7' })));
	return { jar, answer };
}

const ELIGIBLE_ANSWERS: [string, Record<string, string>][] = [
	['postcode', { postcode: 'M1 1AE' }],
	['date-of-birth', { 'dateOfBirth-day': '15', 'dateOfBirth-month': '6', 'dateOfBirth-year': '1985' }],
	['health-condition', { healthCondition: 'yes' }],
	['employment', { employment: 'out-of-work' }],
	['wants-work', { wantsWork: 'yes' }],
	['circumstances', { circumstances: 'none' }]
];

describe('checker outcomes, anonymously', () => {
	it('holds no column that could identify a person, in the schema and in the database', async () => {
		const expected = ['id', 'day', 'link_code', 'ods_code', 'source_code', 'programme_id', 'outcome', 'reasons'];
		expect(Object.values(getTableColumns(checkerOutcome)).map((c) => c.name)).toEqual(expected);
		const db = await getDb();
		const result = await db.execute(sql`select column_name from information_schema.columns where table_name = 'checker_outcome' order by ordinal_position`);
		const rows = (Array.isArray(result) ? result : (result as { rows: unknown[] }).rows) as { column_name: string }[];
		expect(rows.map((r) => r.column_name)).toEqual(expected);
		for (const personal of ['postcode', 'date_of_birth', 'draft_id', 'referral_id', 'email', 'phone', 'name']) expect(expected).not.toContain(personal);
	});

	it('counts the link visit, the check started and the result; a changed answer updates it; sending cuts the tie', async () => {
		const before = await activity('gp-p84001');
		const { jar, answer } = browser();
		expect(await outcome(() => linkRoute.GET(routeEvent('/r/gp-p84001', { params: { code: 'gp-p84001' }, cookies: jar.cookies, client: '203.0.113.7' })))).toMatchObject({
			status: 303,
			location: '/'
		});
		expect(await activity('gp-p84001')).toEqual({ visits: before.visits + 1, checksStarted: before.checksStarted });

		for (const [step, form] of ELIGIBLE_ANSWERS) expect(await answer(step, form), step).toMatchObject({ status: 303 });
		expect(await activity('gp-p84001')).toEqual({ visits: before.visits + 1, checksStarted: before.checksStarted + 1 });

		const token = jar.values.get(DRAFT_COOKIE)!;
		const first = (await getDraftByToken(token))!;
		expect(first.checkerOutcomeId).toBeTruthy();
		const db = await getDb();
		const read = async () => (await db.select().from(checkerOutcome).where(eq(checkerOutcome.id, first.checkerOutcomeId!)))[0];
		expect(await read()).toEqual({
			id: first.checkerOutcomeId,
			day: ukDate(new Date()),
			linkCode: 'gp-p84001',
			odsCode: 'P84001',
			sourceCode: 'fit-note',
			programmeId: 'gm-ips-primary-care',
			outcome: 'likely-eligible',
			reasons: []
		});

		// On another employment programme: the same row now says so, with its reason; nothing is counted twice.
		expect(await answer('circumstances', { circumstances: 'other-programme' })).toMatchObject({ status: 303, location: '/check/result' });
		expect(await read()).toMatchObject({ outcome: 'not-eligible', reasons: ['other-programme'] });
		expect((await getDraftByToken(token))!.checkerOutcomeId).toBe(first.checkerOutcomeId);
		// Not sure about the right to work: talk to a specialist.
		expect(await answer('circumstances', { circumstances: 'not-sure' })).toMatchObject({ status: 303, location: '/check/not-sure' });
		expect(await answer('not-sure', { notSureAbout: 'no-right-to-work' })).toMatchObject({ status: 303, location: '/check/result' });
		expect(await read()).toMatchObject({ outcome: 'talk-to-specialist', reasons: ['unsure-right-to-work'] });
		expect(await activity('gp-p84001')).toEqual({ visits: before.visits + 1, checksStarted: before.checksStarted + 1 });

		// Sending the referral keeps the outcome row and forgets which draft reached it.
		const refer = (step: string, form: Record<string, string>) =>
			outcome(() => referPage.actions.default(routeEvent(`/refer/${step}`, { params: { step }, form, cookies: jar.cookies, client: '203.0.113.7' })));
		expect(await refer('your-details', { givenName: 'Sam', familyName: 'Taylor', preferredName: '', phone: '07700 900982', email: '' })).toMatchObject({ status: 303 });
		expect(await refer('contact-preferences', { contactChannels: 'phone', bestTimes: 'any', messagesMayNameService: 'yes', postAllowed: 'no' })).toMatchObject({ status: 303 });
		expect(await refer('communication', { communicationNeeds: 'none', interpreterLanguage: '' })).toMatchObject({ status: 303 });
		expect(await refer('consent', { consentProcessing: 'yes' })).toMatchObject({ status: 303, location: '/refer/check-answers' });
		await submitReferral(first.id);
		const [sent] = await db.select().from(draft).where(eq(draft.id, first.id));
		expect(sent.submittedAt).toBeTruthy();
		expect(sent.checkerOutcomeId).toBeNull();
		expect(await read()).toMatchObject({ outcome: 'talk-to-specialist', linkCode: 'gp-p84001' });
	});

	it('counts an unknown link code in one bucket, and a check started without a link under none', async () => {
		const unknownBefore = await activity(UNKNOWN_LINK);
		const noneBefore = await activity(NO_LINK);
		const { jar, answer } = browser();
		await outcome(() => linkRoute.GET(routeEvent('/r/no-such-link', { params: { code: 'no-such-link' }, cookies: jar.cookies, client: '203.0.113.8' })));
		await outcome(() => linkRoute.GET(routeEvent('/r/???', { params: { code: '???' }, cookies: cookieJar().cookies, client: '203.0.113.8' })));
		expect((await activity(UNKNOWN_LINK)).visits).toBe(unknownBefore.visits + 2);
		const db = await getDb();
		expect(await db.select().from(linkActivity).where(eq(linkActivity.linkCode, 'no-such-link'))).toEqual([]);

		const plain = browser();
		expect(await plain.answer('postcode', { postcode: 'EH1 1AA' })).toMatchObject({ status: 303, location: '/check/result' });
		expect((await activity(NO_LINK)).checksStarted).toBe(noneBefore.checksStarted + 1);
		// Out of area: recorded as not eligible, with no link and no programme.
		const outOfArea = (await getDraftByToken(plain.jar.values.get(DRAFT_COOKIE)!))!;
		const [row] = await db.select().from(checkerOutcome).where(eq(checkerOutcome.id, outOfArea.checkerOutcomeId!));
		expect(row).toMatchObject({ linkCode: null, odsCode: null, sourceCode: null, programmeId: null, outcome: 'not-eligible', reasons: ['out-of-area'] });
	});
});
