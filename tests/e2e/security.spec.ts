/**
 * Findings of the security probe (issue 7) that are seen from outside: each test here failed before its fix.
 * Fuzzing of every action is in fuzz.spec.ts; sign-in and webhook addresses have their own tests.
 */
import { expect, test } from '@playwright/test';
import { ELIGIBLE, REFERRAL } from './support/journey';
import { walkOverHttp, type HttpSession } from './support/http-journey';
import { removeDir, startServer, type RunningServer } from './support/server';

let server: RunningServer;

test.beforeAll(async () => {
	// Behind a proxy: the client address is the last hop in X-Forwarded-For (README, ADDRESS_HEADER).
	server = await startServer({ ADDRESS_HEADER: 'x-forwarded-for', XFF_DEPTH: '1' });
});

test.afterAll(async () => {
	await server?.stop();
	removeDir(server.dataDir);
});

test.afterEach(async ({}, info) => {
	if (info.status !== info.expectedStatus) console.log(server.output().slice(-20_000));
});

const errorMessages = (html: string) => [...html.matchAll(/class="error-message"[^>]*><span[^>]*>Error:<\/span>([^<]*)</g)].map((m) => m[1].trim());

async function atPage(path: string): Promise<{ session: HttpSession; html: string }> {
	const at = await walkOverHttp(server.url, { ...ELIGIBLE, ...REFERRAL }, path);
	if (!('html' in at)) throw new Error(`the journey did not stop at ${path}`);
	return at;
}

test('a NUL byte in a name is refused beside the field, and the log holds none of the draft', async () => {
	// The whole draft is filled in: before the fix, the failed query logged all of it as parameters.
	const { session } = await atPage('/refer/check-answers');
	const marker = 'Zqx7NulMarker';
	const before = server.output().length;
	const name = await session.send('/refer/your-details?return=check-answers', `givenName=Ali%00ce${marker}&familyName=Taylor`, 'application/x-www-form-urlencoded');
	expect(name.status).toBe(400);
	expect(name.html).toMatch(/<title>Error: /);
	expect(errorMessages(name.html).join(' ')).toMatch(/hidden character/);
	// Nothing typed is lost: the family name is still in its box.
	expect(name.html).toMatch(/name="familyName"[^>]*value="Taylor"|value="Taylor"[^>]*name="familyName"/);

	const log = server.output().slice(before);
	for (const secret of [marker, REFERRAL.email as string, '07700', '1985']) expect(log, secret).not.toContain(secret);
});

test('bodies a form cannot read answer 400, never 500', async () => {
	const { session } = await atPage('/refer/your-details');
	const cases: [string, string, string | null][] = [
		['/refer/your-details', 'givenName=Sam', 'text/plain'],
		['/refer/your-details', '{"givenName":"Sam"}', 'application/json'],
		['/refer/your-details', '--x\r\nContent-Disposition: form-data; name="givenName"\r\n\r\nSam', 'multipart/form-data; boundary=x'],
		['/refer/your-details', 'givenName=Sam', 'multipart/form-data'],
		['/refer/your-details', 'givenName=Sam', null],
		['/check/postcode', 'postcode=M1 1AE', 'text/plain;charset=UTF-8'],
		['/status', 'reference=x', 'text/plain'],
		['/save', 'email=a@b.zz', 'text/plain'],
		['/staff/sign-in', 'email=a@b.zz&password=x', 'text/plain'],
		['/refer/check-answers', '', 'application/octet-stream']
	];
	for (const [path, body, type] of cases) {
		const res = await session.send(path, body, type);
		expect(res.status, `${path} with ${type}`).toBe(400);
		expect(res.html, `${path} with ${type}`).toContain('The form could not be read');
	}
	expect(server.output()).not.toMatch(/"level":"error"[^\n]*request failed/);
});

test('behind a proxy, /status limits follow the client address: a stranger guessing cannot lock the owner out', async () => {
	// A real referral, and its owner's date of birth.
	const { reference } = (await walkOverHttp(server.url, { ...ELIGIBLE, ...REFERRAL }, null)) as { reference: string };
	const dob = ELIGIBLE.dateOfBirth as { day: string; month: string; year: string };
	const lookUp = (address: string, year: string) =>
		fetch(`${server.url}/status`, {
			method: 'POST',
			redirect: 'manual',
			headers: { origin: server.url, accept: 'text/html', 'content-type': 'application/x-www-form-urlencoded', 'x-forwarded-for': address },
			body: new URLSearchParams({ reference, 'dateOfBirth-day': dob.day, 'dateOfBirth-month': dob.month, 'dateOfBirth-year': year }).toString()
		});
	const strangerStatuses: number[] = [];
	for (let i = 0; i < 12; i++) strangerStatuses.push((await lookUp('203.0.113.7', String(1950 + i))).status);
	expect(strangerStatuses.slice(0, 10).every((s) => s === 404)).toBe(true);
	expect(strangerStatuses.slice(10)).toEqual([429, 429]);

	// The owner, from another address, is not locked out by the stranger's guesses.
	const owner = await lookUp('198.51.100.20', dob.year);
	expect(owner.status).toBe(200);
	expect(await owner.text()).toContain(reference.replace('-', '').slice(0, 4));
});
