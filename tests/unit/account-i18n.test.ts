/**
 * Issue 25: the sign-in pages, the home page and the check-ins in Welsh and Urdu (src/lib/i18n/account.ts).
 * English is exactly what the other modules give; the messages that say their words again hold the same
 * English; scored questionnaires stay in English, marked as English, under a notice.
 */
import { describe, expect, it } from 'vitest';
import { render } from 'svelte/server';
import QuestionFields from '../../src/lib/components/QuestionFields.svelte';
import {
	SAID_AGAIN,
	checkInItemWords,
	dateWords,
	erasureReasonWords,
	jobWords,
	lockedWords,
	longDateWords,
	meetingLabelWords,
	meetingWhenWords,
	placeWordsIn,
	pointWords,
	questionnaireInEnglish,
	questionnaireLang,
	signInErrors,
	signInFields,
	signInWords,
	statusWords,
	timeWords,
	wrongCodeWords
} from '../../src/lib/i18n/account';
import { CLOSE_REASONS, STATUSES, STATUS_FOR_PERSON } from '../../src/lib/domain/casework/statuses';
import { statusForPerson } from '../../src/lib/domain/casework/person-status';
import { ERASURE_REFUSAL_REASONS } from '../../src/lib/domain/data-rights';
import { dialogAreaForm, DIALOG_AREAS } from '../../src/lib/domain/measures';
import { INSTRUMENTS } from '../../src/lib/domain/measures/registry';
import { emailWhen, slotLabel } from '../../src/lib/domain/meetings/labels';
import { placeWords } from '../../src/lib/domain/meetings/modes';
import { hoursWords } from '../../src/lib/domain/jobs';
import { formatLongDate } from '../../src/lib/domain/uk-time';
import { lockedMessage, SIGN_IN_CODE_FORM, signInAddressForm } from '../../src/lib/domain/participant-sign-in-forms';
import { parseFormData, type FormDefinition } from '../../src/lib/domain/fields';
import { PLAIN_TITLES } from '../../src/lib/server/measures/due';
import { overwriteGetLocale } from '../../src/lib/paraglide/runtime';

const en = { locale: 'en' as const };
const times = { start: new Date('2027-03-30T09:00:00Z'), end: new Date('2027-03-30T09:45:00Z') };

describe('messages that say another module’s English again', () => {
	it('hold the same English', () => {
		for (const s of STATUSES) {
			expect(SAID_AGAIN.STATUS_WORDS[s].title({}, en)).toBe(STATUS_FOR_PERSON[s].title);
			expect(SAID_AGAIN.STATUS_WORDS[s].next({}, en)).toBe(STATUS_FOR_PERSON[s].next);
		}
		expect(Object.keys(SAID_AGAIN.CLOSED_WORDS).sort()).toEqual(CLOSE_REASONS.map((r) => r.code).sort());
		for (const r of CLOSE_REASONS) expect(SAID_AGAIN.CLOSED_WORDS[r.code]({}, en)).toBe(r.forPerson);
		expect(Object.keys(SAID_AGAIN.ERASURE_WORDS).sort()).toEqual(ERASURE_REFUSAL_REASONS.map((r) => r.code).sort());
		for (const r of ERASURE_REFUSAL_REASONS) expect(SAID_AGAIN.ERASURE_WORDS[r.code]({}, en)).toBe(r.forPerson);
		expect(Object.fromEntries(Object.entries(SAID_AGAIN.PLAIN_TITLE_WORDS).map(([id, say]) => [id, say({}, en)]))).toEqual(PLAIN_TITLES);
	});
});

describe('the sign-in forms', () => {
	const forms: FormDefinition[] = [signInAddressForm(true), signInAddressForm(false), SIGN_IN_CODE_FORM];
	const wrong = ['', 'x', 'not an email', '0161 496 0000', '07700', 'a'.repeat(300), '12345', 'abc@'];

	it('have every label, hint and error message in Welsh and Urdu', () => {
		const english = new Set<string>();
		for (const form of forms) {
			for (const field of form.fields) {
				if ('label' in field && field.label) english.add(field.label);
				if ('hint' in field && field.hint) english.add(field.hint);
			}
			for (const value of wrong) {
				const parsed = parseFormData(form, new URLSearchParams({ address: value, code: value }));
				if (!parsed.ok) for (const message of Object.values(parsed.errors)) english.add(message);
			}
		}
		expect(english.size).toBeGreaterThan(10);
		for (const text of english)
			for (const locale of ['cy', 'ur']) {
				const said = signInWords(text, locale);
				expect(said, `${locale}: ${text}`).not.toBe(text);
				expect(said.trim()).not.toBe('');
			}
	});

	it('are the same objects in English, and translated fields otherwise', () => {
		const fields = signInAddressForm(false).fields;
		expect(signInFields(fields, 'en')).toBe(fields);
		expect(signInFields(fields, 'cy')[0]).toMatchObject({ name: 'address', label: 'Beth yw eich cyfeiriad e-bost?', type: 'email' });
		const errors = { address: 'Enter your email address' };
		expect(signInErrors(errors, 'en')).toBe(errors);
		expect(signInErrors(errors, 'ur')).toEqual({ address: 'اپنا ای میل ایڈریس لکھیں' });
		expect(signInWords('Something else', 'cy')).toBe('Something else');
	});

	it('say the lockout as lockedMessage does in English, and in UK time in Welsh', () => {
		const now = new Date('2027-01-12T15:33:10Z');
		for (const [until, at] of [
			[new Date(now.getTime() + 15 * 60_000), now],
			[new Date(now.getTime() + 30_000), now],
			[new Date('2027-01-13T00:09:30Z'), new Date('2027-01-12T23:55:00Z')],
			[new Date('2027-01-13T00:00:30Z'), new Date('2027-01-12T23:59:50Z')]
		])
			expect(lockedWords(until, at, 'en')).toBe(lockedMessage(until, at));
		const summer = new Date('2027-06-12T14:33:10Z');
		expect(lockedWords(new Date(summer.getTime() + 15 * 60_000), summer, 'cy')).toContain('ar ôl 15:49, ymhen 15 munud.');
		expect(lockedWords(new Date('2027-01-13T00:09:30Z'), new Date('2027-01-12T23:55:00Z'), 'cy')).toContain('00:10 yfory');
	});

	it('count the tries left', () => {
		expect(wrongCodeWords(1, 15, 'en')).toBe(
			'The code is not right. Check the code we sent you and try again. You can try 1 more time before signing in is locked for 15 minutes.'
		);
		expect(wrongCodeWords(4, 15, 'en')).toContain('You can try 4 more times before signing in is locked for 15 minutes.');
		expect(wrongCodeWords(4, 15, 'cy')).toContain('4 gwaith eto');
	});
});

describe('dates and times', () => {
	it('are the portal’s own in English', () => {
		expect(longDateWords('2027-03-30', 'en')).toBe(formatLongDate('2027-03-30'));
		expect(dateWords('2027-03-30', 'en')).toBe('30 March 2027');
		expect(timeWords(times.start, 'en')).toBe('10:00am');
		expect(meetingWhenWords(times, 'en')).toBe(emailWhen(times));
		expect(meetingLabelWords(times, { kind: 'phone' }, 'en')).toBe(slotLabel(times, { kind: 'phone' }));
	});

	it('are in the language, in UK time, otherwise', () => {
		expect(longDateWords('2027-03-30', 'cy')).toBe('Dydd Mawrth, 30 Mawrth 2027');
		expect(dateWords('2027-03-30', 'cy')).toBe('30 Mawrth 2027');
		expect(meetingWhenWords(times, 'cy')).toBe('Dydd Mawrth, 30 Mawrth 2027, 10:00 i 10:45 (amser y DU)');
		expect(meetingLabelWords(times, { kind: 'in-person', venueName: 'Central Library' }, 'cy')).toBe('Dydd Mawrth, 30 Mawrth, 10:00 i 10:45, wyneb yn wyneb yn Central Library');
		expect(meetingWhenWords(times, 'ur')).toContain('(برطانیہ کا وقت)');
		expect(dateWords('2027-03-30', 'ur')).toContain('مارچ');
		// The hour the clocks go back says which one, as English does ("1:30am BST").
		expect(timeWords(new Date('2026-10-25T00:30:00Z'), 'cy')).toBe('01:30 BST');
		expect(timeWords(new Date('2026-10-25T01:30:00Z'), 'cy')).toBe('01:30 GMT');
	});

	it('name the way of meeting', () => {
		for (const place of [{ kind: 'phone' as const }, { kind: 'video' as const }, { kind: 'in-person' as const, venueName: 'Central Library' }])
			expect(placeWordsIn(place, 'en')).toBe(placeWords(place));
		expect(placeWordsIn({ kind: 'phone' }, 'cy')).toBe('dros y ffôn');
	});
});

describe('the home page', () => {
	const today = '2027-03-01';
	const referral = (status: string, closedReason: string | null = null, contactTargetDate = '2027-03-05') => ({ status, closedReason, contactTargetDate });
	const next = { when: 'Tuesday 30 March 2027, 10:00am to 10:45am (UK time)', place: 'by phone' };

	it('says the status as statusForPerson does in English', () => {
		for (const status of STATUSES)
			for (const meeting of [null, next]) expect(statusWords(referral(status, '003'), today, meeting, 'en')).toEqual(statusForPerson(referral(status, '003'), today, meeting));
		expect(statusWords(referral('received', null, '2027-02-01'), today, null, 'en')).toEqual(statusForPerson(referral('received', null, '2027-02-01'), today, null));
	});

	it('says the status in Welsh, line for line', () => {
		for (const status of STATUSES)
			for (const meeting of [null, next]) {
				const english = statusForPerson(referral(status, '005'), today, meeting);
				const welsh = statusWords(referral(status, '005'), today, meeting, 'cy');
				expect(welsh.lines).toHaveLength(english.lines.length);
				expect(welsh.title).not.toBe(english.title);
			}
		expect(statusWords(referral('received'), today, null, 'cy').lines[0]).toBe('Bydd arbenigwr cyflogaeth yn cysylltu â chi erbyn Dydd Gwener, 5 Mawrth 2027.');
		expect(statusWords(referral('closed', '099'), today, null, 'cy').lines[0]).toBe("Mae eich atgyfeiriad wedi'i gau. Os hoffech chi wybod pam, ffoniwch ni.");
	});

	it('says check-ins in the language, and leaves English as it is', () => {
		const item = {
			pointId: 'start',
			instrument: 'swemwbs',
			href: '/account/check-in/swemwbs',
			title: 'Your wellbeing (SWEMWBS), Start check-in',
			pointLabel: 'Start',
			status: 'due' as const,
			when: 'Due by 21 December 2026',
			whenFacts: { kind: 'due' as const, date: '2026-12-21' }
		};
		expect(checkInItemWords(item, 'en')).toBe(item);
		expect(checkInItemWords(item, 'cy')).toEqual({ ...item, title: 'Eich lles (SWEMWBS), gwiriad y dechrau', pointLabel: 'y dechrau', when: 'Erbyn 21 Rhagfyr 2026' });
		expect(checkInItemWords({ ...item, whenFacts: { kind: 'waiting', until: { kind: 'meeting', meeting: 2 } } }, 'cy').when).toBe('Ar ôl eich ail gyfarfod');
		expect(checkInItemWords({ ...item, whenFacts: { kind: 'waiting', until: { kind: 'meeting', meeting: 9 } } }, 'ur').when).toBe('آپ کی 9ویں ملاقات کے بعد');
		expect(pointWords('3 months', 'cy')).toBe('3 mis');
		expect(pointWords('Mid-point', 'cy')).toBe('Mid-point');
		expect(pointWords('3 months', 'en')).toBe('3 months');
	});

	it('says a job and a refusal’s reason', () => {
		const job = { jobTitle: 'Cleaner', employer: 'Acme', hoursPerWeek: 7.5, startDate: '2027-03-01' };
		expect(jobWords(job, 'en')).toBe(`Cleaner at Acme, ${hoursWords(7.5)}, from ${formatLongDate('2027-03-01')}`);
		expect(jobWords({ ...job, employer: null, hoursPerWeek: 1 }, 'en')).toBe('Cleaner, 1 hour a week, from Monday 1 March 2027');
		expect(jobWords(job, 'cy')).toBe('Cleaner yn Acme, 7.5 awr yr wythnos, ers Dydd Llun, 1 Mawrth 2027');
		expect(erasureReasonWords('safeguarding', 'We need it to keep you or someone else safe.', 'en')).toBe('We need it to keep you or someone else safe.');
		expect(erasureReasonWords('safeguarding', 'x', 'cy')).toBe("Mae ei angen arnon ni i'ch cadw chi neu rywun arall yn ddiogel.");
	});
});

describe('scored questionnaires', () => {
	it('are shown in English, marked as English, on a page in another language', () => {
		expect(questionnaireInEnglish('en')).toBe(false);
		expect(questionnaireLang('en')).toEqual({ lang: undefined, dir: undefined });
		for (const locale of ['cy', 'ur']) {
			expect(questionnaireInEnglish(locale)).toBe(true);
			expect(questionnaireLang(locale)).toEqual({ lang: 'en-GB', dir: 'ltr' });
		}
	});

	it('keep their own words when the question pages’ words are translated', () => {
		const area = DIALOG_AREAS[0];
		const fields = dialogAreaForm(area, undefined).fields;
		overwriteGetLocale(() => 'cy');
		try {
			const asked = render(QuestionFields, { props: { fields, values: {}, errors: {}, english: true } }).body;
			expect(asked).toContain(INSTRUMENTS.dialog.items[0].text);
			// DIALOG+'s own "Yes" and "No" stay English, although the referral's "Yes" and "No" are in Welsh.
			expect(asked).toMatch(/>Yes<\/label>/);
			expect(asked).toMatch(/>No<\/label>/);
			expect(asked).toContain('lang="en-GB"');
			expect(asked).toContain('dir="ltr"');
		} finally {
			overwriteGetLocale(() => 'en');
		}
		const english = render(QuestionFields, { props: { fields, values: {}, errors: {} } }).body;
		expect(english).not.toContain('lang=');
		expect(english).not.toContain('dir=');
	});
});
