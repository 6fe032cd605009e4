/**
 * Issue 25: a postcode in Wales, Scotland or Northern Ireland outside every programme's area gets that
 * nation's alternatives and crisis lines (config/nations.json), in the person's language; a Manchester
 * postcode inside the default programmes' area gets the usual result. Through the checker's own routes,
 * with a cookie jar.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import type { Alternative } from '../../src/lib/domain/programme';
import { withLocale } from '../../src/lib/server/i18n';
import type { NationSupport } from '../../src/lib/server/nations';
import { seedProgrammes } from '../../src/lib/server/programmes';
import * as checkPage from '../../src/routes/check/[step]/+page.server';
import * as resultPage from '../../src/routes/check/result/+page.server';
import { cookieJar, outcome, routeEvent } from '../support/route-outcome';

beforeAll(async () => {
	await seedProgrammes();
});

/** What the result page's load gives the page (the part these tests read). */
interface ResultData {
	outcome: string;
	reasons: string[];
	programme: { name: string } | null;
	alternatives: Alternative[];
	nationSupport: NationSupport | null;
	continueHref: string;
}

/** One browser: its cookies, a POST of one checker page, and the result page's data. */
function browser() {
	const jar = cookieJar();
	const client = '203.0.113.25';
	const answer = async (step: string, form: Record<string, string>) =>
		outcome(() => checkPage.actions.default(routeEvent(`/check/${step}`, { params: { step }, form, cookies: jar.cookies, client })));
	const result = async () => {
		const { data, status, location } = await outcome(() => resultPage.load(routeEvent('/check/result', { cookies: jar.cookies, client }) as never));
		expect(status, `no redirect (${location})`).toBeUndefined();
		return data as ResultData;
	};
	return { answer, result };
}

const ELIGIBLE: [string, Record<string, string>][] = [
	['date-of-birth', { 'dateOfBirth-day': '15', 'dateOfBirth-month': '6', 'dateOfBirth-year': '1985' }],
	['health-condition', { healthCondition: 'yes' }],
	['employment', { employment: 'out-of-work' }],
	['wants-work', { wantsWork: 'yes' }],
	['circumstances', { circumstances: 'none' }]
];

describe('support in the nations', () => {
	it('a Cardiff postcode outside every programme’s area gets the Welsh alternatives and crisis lines', async () => {
		const { answer, result } = browser();
		expect(await answer('postcode', { postcode: 'CF10 1EP' })).toMatchObject({ status: 303, location: '/check/result' });
		const data = await result();
		expect(data).toMatchObject({ outcome: 'not-eligible', programme: null, alternatives: [] });
		expect(data.reasons).toEqual(['We do not run a service where you live, or at your GP practice, yet.']);
		const wales = data.nationSupport!;
		expect(wales.nation).toBe('wales');
		expect(wales.alternatives.map((a) => a.name)).toEqual(['Working Wales', 'NHS 111 Wales', 'Jobcentre Plus', 'Access to Work', 'Citizens Advice Cymru']);
		expect(wales.alternatives[0]).toMatchObject({ phone: '0800 028 4844', url: 'https://workingwales.gov.wales/' });
		expect(wales.alternatives.map((a) => a.name)).not.toContain('NHS Talking Therapies');
		expect(wales.crisis.map((c) => `${c.name} ${c.number}`)).toEqual([
			'If your life is in danger 999',
			'NHS 111 Wales 111',
			'Samaritans 116 123',
			'Samaritans Welsh language line 0808 164 0123',
			'C.A.L.L. mental health helpline 0800 132 737',
			'Shout 85258'
		]);
		expect(wales.crisis[1]).toMatchObject({ href: 'tel:111', detail: 'Press 2 for mental health.' });

		// The same person reading in Welsh.
		const cy = await withLocale('cy', result);
		expect(cy.reasons).toEqual(["Nid ydyn ni'n rhedeg gwasanaeth lle rydych chi'n byw, nac yn eich meddygfa, eto."]);
		expect(cy.nationSupport!.alternatives[0]).toMatchObject({ name: "Cymru'n Gweithio", phone: '0800 028 4844' });
		expect(cy.nationSupport!.crisis.find((c) => c.number === '0808 164 0123')?.name).toBe('Llinell Gymraeg y Samariaid');
	});

	it('Edinburgh and Belfast postcodes get Scotland’s and Northern Ireland’s', async () => {
		const scot = browser();
		await scot.answer('postcode', { postcode: 'EH1 1YZ' });
		const scotland = (await scot.result()).nationSupport!;
		expect(scotland.nation).toBe('scotland');
		expect(scotland.crisis.map((c) => c.number)).toEqual(['999', '111', '0800 83 85 87', '116 123', '85258']);

		const ni = browser();
		await ni.answer('postcode', { postcode: 'BT1 5GS' });
		const northernIreland = (await ni.result()).nationSupport!;
		expect(northernIreland.nation).toBe('northern-ireland');
		expect(northernIreland.crisis.map((c) => c.number)).toEqual(['999', '0808 808 8000', '116 123', '85258']);
		expect(northernIreland.note).toMatch(/GP out-of-hours/);
	});

	it('an English postcode outside every area keeps the English alternatives', async () => {
		const { answer, result } = browser();
		await answer('postcode', { postcode: 'SW1A 1AA' });
		const data = await result();
		expect(data.nationSupport).toBeNull();
		expect(data.alternatives.map((a) => a.name)).toEqual(['Jobcentre Plus', 'Access to Work', 'NHS Talking Therapies', 'Citizens Advice']);
	});

	it('a Manchester postcode inside the default programme’s area gets the usual result', async () => {
		const { answer, result } = browser();
		expect(await answer('postcode', { postcode: 'M1 1AE' })).toMatchObject({ status: 303 });
		for (const [step, form] of ELIGIBLE) expect(await answer(step, form), step).toMatchObject({ status: 303 });
		const data = await result();
		expect(data).toMatchObject({
			outcome: 'likely-eligible',
			reasons: [],
			programme: { name: 'IPS Primary Care, Greater Manchester' },
			nationSupport: null,
			alternatives: [],
			continueHref: '/refer/your-details'
		});
	});
});
