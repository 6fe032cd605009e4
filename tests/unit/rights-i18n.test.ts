/**
 * Issue 25: the rest of the person's account in Welsh and Urdu (src/lib/i18n/rights.ts): "Your details",
 * "Your consents", "Your data", deletion, withdrawal and jobs. English is exactly what the domain modules
 * give; the messages that say their words again hold the same English; Welsh and Urdu leave no English.
 */
import { describe, expect, it } from 'vitest';
import { CLOSE_REASONS, STATUSES, STATUS_LABELS } from '../../src/lib/domain/casework/statuses';
import { CONTACT_CHANNELS, CONTACT_OUTCOMES } from '../../src/lib/domain/casework/contact-attempts';
import { WITHDRAWAL_CONSEQUENCES } from '../../src/lib/domain/casework/withdrawal';
import { WITHDRAWING_MEANS } from '../../src/lib/domain/consent-withdrawal';
import { CONSENTS, type ConsentKind } from '../../src/lib/domain/consents';
import { EVIDENCE_LABELS, JOB_END_REASONS, JOB_KIND_LABELS, hoursWords } from '../../src/lib/domain/jobs';
import { CONCERN_RESOLUTIONS } from '../../src/lib/domain/measures/concern-resolution';
import { REVIEW_OUTCOME_WORDS } from '../../src/lib/domain/measures/dialog-review';
import { MODE_LABELS } from '../../src/lib/domain/meetings/modes';
import { SOURCES } from '../../src/lib/domain/sources';
import { formatDate, formatLongDate, formatUkDateTime } from '../../src/lib/domain/uk-time';
import { detailRows } from '../../src/lib/domain/your-details';
import { ACCOUNT_PAGES } from '../../src/lib/i18n/question-text';
import {
	SAID_AGAIN_RIGHTS as S,
	dataWords,
	dateTimeWords,
	dayWords,
	detailRowsIn,
	hoursIn,
	isolated,
	longDayWords,
	newAddressHint,
	withdrawalConsequences,
	withdrawingMeans
} from '../../src/lib/i18n/rights';

const en = { locale: 'en' as const };
const say = (words: Record<string, (i: Record<string, never>, o: typeof en) => string>) => Object.fromEntries(Object.entries(words).map(([k, f]) => [k, f({}, en)]));

describe('messages that say the domain’s English again', () => {
	it('hold the same English', () => {
		expect(say(S.STATUS_NAMES)).toEqual(STATUS_LABELS);
		expect(say(S.CLOSE_NAMES)).toEqual(Object.fromEntries(CLOSE_REASONS.map((r) => [r.code, r.label])));
		expect(say(S.MODE_NAMES)).toEqual(MODE_LABELS);
		expect(say(S.JOB_KIND_NAMES)).toEqual(JOB_KIND_LABELS);
		expect(say(S.EVIDENCE_NAMES)).toEqual(EVIDENCE_LABELS);
		expect(say(S.END_REASON_NAMES)).toEqual(Object.fromEntries(JOB_END_REASONS.map((r) => [r.code, r.label])));
		expect(say(S.CHANNEL_NAMES)).toEqual(CONTACT_CHANNELS);
		expect(say(S.OUTCOME_NAMES)).toEqual(Object.fromEntries(Object.entries(CONTACT_OUTCOMES).map(([k, o]) => [k, o.label])));
		expect(say(S.REVIEW_NAMES)).toEqual(REVIEW_OUTCOME_WORDS);
		expect(say(S.RESOLUTION_NAMES)).toEqual(CONCERN_RESOLUTIONS);
		for (const [code, f] of Object.entries(S.SOURCE_NAMES)) expect(f({}, en)).toBe(SOURCES[code as keyof typeof SOURCES].label);
		for (const kind of Object.keys(CONSENTS) as ConsentKind[]) expect(withdrawingMeans(kind, 'en')).toEqual(WITHDRAWING_MEANS[kind]);
		expect(withdrawalConsequences('en')).toEqual([...WITHDRAWAL_CONSEQUENCES]);
	});

	it('say each in Welsh and Urdu, not in English', () => {
		for (const locale of ['cy', 'ur'])
			for (const words of [S.STATUS_NAMES, S.CLOSE_NAMES, S.MODE_NAMES, S.JOB_KIND_NAMES, S.EVIDENCE_NAMES, S.END_REASON_NAMES, S.CHANNEL_NAMES, S.OUTCOME_NAMES, S.SAVED])
				for (const [key, f] of Object.entries(words)) expect(f({}, { locale } as never), `${locale} ${key}`).not.toBe(f({}, en));
		expect(withdrawalConsequences('cy')).not.toEqual([...WITHDRAWAL_CONSEQUENCES]);
		expect(withdrawingMeans('textReminders', 'ur')).toHaveLength(2);
	});
});

describe('English stays as the domain modules give it', () => {
	const answers = { contactChannels: ['phone', 'email'], bestTimes: ['weekday-morning'], messagesMayNameService: 'yes', postAllowed: 'no' };
	const current = { email: 'sam@example.com', phone: null };

	it('for dates, hours and the rows of "Your details"', () => {
		const at = new Date('2026-12-07T17:27:00Z');
		expect(dateTimeWords(at, 'en')).toBe(formatUkDateTime(at));
		expect(dateTimeWords(at.toISOString(), 'en')).toBe(formatUkDateTime(at));
		expect(dayWords('1985-06-15', 'en')).toBe(formatDate('1985-06-15'));
		expect(longDayWords('2027-01-07', 'en')).toBe(formatLongDate('2027-01-07'));
		for (const h of [1, 16, 16.5]) expect(hoursIn(h, 'en')).toBe(hoursWords(h));
		const rows = detailRows(answers, current);
		expect(detailRowsIn(rows, answers, current, 'en').map(({ value: _, ...row }) => row)).toEqual(rows);
		expect(newAddressHint('email', 'sam@example.com', 'Hint.', 'en')).toBe('Your email address now is sam@example.com. Hint.');
		expect(newAddressHint('phone', null, 'Hint.', 'en')).toBe('Hint.');
		expect(isolated('sam@example.com', 'en')).toBe('sam@example.com');
	});

	it('for the words of "Your data"', () => {
		expect(dataWords.status('received', 'New, not yet contacted', 'en')).toBe('New, not yet contacted');
		expect(dataWords.closedReason('004 Chose not to start', 'en')).toBe('004 Chose not to start');
		expect(dataWords.source('Fit Note link or QR code', 'en')).toBe('Fit Note link or QR code');
		expect(dataWords.question(null, 'rightToWork', 'en')).toBe('Worked out from your answers (rightToWork)');
		expect(dataWords.answer({ section: 'referral', key: 'contactChannels', value: ['phone'], words: ['Phone call'], question: 'Q' }, 'en')).toBe('Phone call');
		expect(dataWords.atEmployer('Acme', 'en')).toBe(' at Acme');
		expect(dataWords.about('meeting.booked', 'en')).toBe('Meeting booked');
		expect(dataWords.messageStatus('dropped', 'en')).toBe('Not sent: no longer needed');
		expect(dataWords.meetingStatus('attended', 'en')).toBe('Attended');
		expect(dataWords.deletion({ status: 'requested', answerBy: '2027-01-07', decidedAt: null, refusalReason: null }, 'en')).toBe('Waiting: answer by 2027-01-07');
		expect(dataWords.deletion({ status: 'refused', answerBy: '2027-01-07', decidedAt: '2026-12-20T10:00:00Z', refusalReason: 'safeguarding' }, 'en')).toBe(
			`Refused on ${formatUkDateTime(new Date('2026-12-20T10:00:00Z'))}: safeguarding`
		);
		expect(dataWords.deletion({ status: 'carried-out', answerBy: '2027-01-07', decidedAt: null, refusalReason: null }, 'en')).toBe('Carried out');
	});
});

describe('Welsh and Urdu', () => {
	const answers = { contactChannels: ['phone', 'email'], bestTimes: ['weekday-morning'], messagesMayNameService: 'yes', postAllowed: 'no' };
	const current = { email: 'sam@example.com', phone: null };

	it('say every row of "Your details" in the language, the email address as it is', () => {
		const rows = detailRows(answers, current);
		for (const locale of ['cy', 'ur']) {
			const said = detailRowsIn(rows, answers, current, locale);
			said.forEach((row, i) => {
				expect(row.label, `${locale} ${row.id}`).not.toBe(rows[i].label);
				if (row.id !== 'email') expect(row.lines, `${locale} ${row.id}`).not.toEqual(rows[i].lines);
			});
			expect(said[0]).toMatchObject({ lines: ['sam@example.com'], value: true });
			expect(said[1].value).toBe(false);
		}
		expect(detailRowsIn(rows, answers, current, 'ur')[2].lines[0]).toContain('، ');
	});

	it('isolate values on a right-to-left page only', () => {
		expect(isolated('KD7K-HEN6', 'cy')).toBe('KD7K-HEN6');
		expect(isolated('KD7K-HEN6', 'ur')).toBe('\u2068KD7K-HEN6\u2069');
		expect(newAddressHint('email', 'sam@example.com', 'We will send a 6-digit code to it, to check it is yours. We keep using your old email address until you enter the code.', 'ur')).toContain(
			'\u2068sam@example.com\u2069'
		);
	});

	it('give dates in the language, and the person’s words for data staff record', () => {
		expect(dateTimeWords('2026-12-07T17:27:00Z', 'cy')).toContain('Rhagfyr');
		expect(longDayWords('2027-01-07', 'cy')).toContain('Ionawr');
		expect(dataWords.status('received', 'New, not yet contacted', 'cy')).toBe('Newydd, heb gysylltu eto');
		expect(dataWords.closedReason('004 Chose not to start', 'cy')).toMatch(/^004 /);
		expect(dataWords.closedReason('004 Chose not to start', 'cy')).not.toBe('004 Chose not to start');
		expect(dataWords.source('Fit Note link or QR code', 'cy')).not.toBe('Fit Note link or QR code');
		expect(dataWords.source('Text message campaign', 'ur')).not.toBe('Text message campaign');
		expect(dataWords.answer({ section: 'checker', key: 'dateOfBirth', value: '1985-06-15', words: ['15 June 1985'], question: 'Q' }, 'cy')).toBe('15 Mehefin 1985');
		expect(dataWords.deletion({ status: 'refused', answerBy: '2027-01-07', decidedAt: null, refusalReason: 'safeguarding' }, 'cy')).not.toContain('safeguarding');
	});

	it('have every question word of the account pages (job, details, deletion, withdrawal) in questions.json', () => {
		expect(ACCOUNT_PAGES.length).toBeGreaterThan(10);
	});
});
