/**
 * Issue 25: booking, moving and cancelling a meeting in Welsh and Urdu (src/lib/i18n/booking.ts and the
 * components only those pages use). English is exactly what booking-forms.ts and labels.ts give; every
 * word a booking question can show, its errors included, is said in each language; the venue's own words
 * are marked as English and phone numbers and links isolated on a right-to-left page.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { render } from 'svelte/server';
import CallToChange from '../../src/lib/components/CallToChange.svelte';
import MeetingWhere from '../../src/lib/components/MeetingWhere.svelte';
import VenueNotes from '../../src/lib/components/VenueNotes.svelte';
import { validate, type Field } from '../../src/lib/domain/fields';
import { cancelQuestion, dayOptionLabel, dayQuestion, howQuestion, inviteQuestion, timeQuestion } from '../../src/lib/domain/meetings/booking-forms';
import { dayLabel, timeLabel } from '../../src/lib/domain/meetings/labels';
import { SAID_AGAIN, bookingErrors, bookingPage, dayAtTimeWords, dayOptionWords, isolated, isolatedNotes, isolatedPlace, pieces } from '../../src/lib/i18n/booking';
import { t } from '../../src/lib/i18n/t';
import { m } from '../../src/lib/paraglide/messages';
import { overwriteGetLocale } from '../../src/lib/paraglide/runtime';

const en = { locale: 'en' as const };
const options = [{ value: 'phone', label: 'By phone' }];
const QUESTIONS = [howQuestion(options), howQuestion(options, 'A hint made by the page.'), dayQuestion(options), timeQuestion(options), inviteQuestion, cancelQuestion];

afterEach(() => overwriteGetLocale(() => 'en'));

/** What a booking question shows: heading, hint, labels and hints, and its errors for empty and wrong answers. */
function shown(question: { heading: string; hint?: string; fields: Field[]; schema: (typeof QUESTIONS)[number]['schema'] }) {
	const words = [question.heading, question.hint, ...question.fields.flatMap((f) => [f.label, f.hint])].filter((w): w is string => !!w);
	const errors = new Set<string>();
	for (const f of question.fields)
		for (const wrong of ['', 'not-an-option', 'not an email', 'a\u0007b', 'x'.repeat(600)])
			for (const e of Object.values(validate(question.schema, question.fields, { [f.name]: wrong }).errors)) errors.add(e);
	return { words, errors: [...errors] };
}

describe('the booking questions', () => {
	it('have a message for every word of booking-forms.ts, holding the same English', () => {
		const english = new Set(SAID_AGAIN.QUESTION_WORDS.map((say) => say({}, en)));
		for (const q of QUESTIONS) {
			const { words, errors } = shown(q);
			for (const w of words.filter((w) => w !== 'A hint made by the page.')) expect(english, w).toContain(w);
			// An error is the booking's own, or one of the referral's words that the question page's t() says.
			overwriteGetLocale(() => 'cy');
			for (const e of errors) expect(english.has(e) || t(e) !== e, e).toBe(true);
			overwriteGetLocale(() => 'en');
		}
	});

	it('stay as they are in English, and are said in Welsh and Urdu', () => {
		const page = { heading: inviteQuestion.heading, hint: inviteQuestion.hint, fields: inviteQuestion.fields };
		expect(bookingPage(page, 'en')).toBe(page);
		const welsh = bookingPage(page, 'cy');
		expect(welsh.heading).toBe(m.ab_invite_heading({}, { locale: 'cy' }));
		expect(welsh.fields[0].label).toBe(welsh.heading);
		expect(welsh.hint).toBe(m.ab_invite_hint({}, { locale: 'cy' }));
		expect(bookingPage({ heading: dayQuestion([]).heading, hint: 'Words made by the page', fields: [] }, 'ur').hint).toBe('Words made by the page');
		expect(bookingErrors({ day: 'Choose a day' }, 'en')).toEqual({ day: 'Choose a day' });
		expect(bookingErrors({ day: 'Choose a day', invite: 'Something else' }, 'ur')).toEqual({ day: m.ab_day_empty({}, { locale: 'ur' }), invite: 'Something else' });
	});
});

describe('the words the booking steps build', () => {
	it('are the labels module’s in English', () => {
		for (const n of [1, 6]) expect(dayOptionWords('2027-03-30', n, 'en')).toBe(dayOptionLabel('2027-03-30', n, dayLabel));
		const at = new Date('2027-03-30T09:00:00Z');
		expect(dayAtTimeWords(at, 'en')).toBe(`${dayLabel('2027-03-30')} at ${timeLabel(at)}`);
	});

	it('are said in Welsh and Urdu', () => {
		expect(dayOptionWords('2027-03-30', 6, 'cy')).toMatch(/Mawrth.*\(6 amser\)$/);
		expect(dayOptionWords('2027-03-30', 1, 'cy')).toMatch(/\(1 amser\)$/);
		expect(dayAtTimeWords(new Date('2027-03-30T09:00:00Z'), 'cy')).toMatch(/Mawrth.* am 10:00$/);
		expect(dayOptionWords('2027-03-30', 6, 'ur')).not.toMatch(/[A-Za-z]/);
	});

	it('isolate values only on a right-to-left page', () => {
		expect(isolated('07700 900982', 'en')).toBe('07700 900982');
		expect(isolated('07700 900982', 'cy')).toBe('07700 900982');
		expect(isolated('07700 900982', 'ur')).toBe('\u206807700 900982\u2069');
		expect(isolatedPlace({ kind: 'in-person', venueName: 'Hub' }, 'ur')).toEqual({ kind: 'in-person', venueName: '\u2068Hub\u2069' });
		expect(isolatedPlace({ kind: 'phone' }, 'ur')).toEqual({ kind: 'phone' });
		const notes = (l: 'en' | 'ur') => [m.n_venue_access({ notes: 'Step-free.' }, { locale: l }), m.n_venue_private({}, { locale: l })];
		expect(isolatedNotes(notes('en'), 'en')).toEqual(notes('en'));
		expect(isolatedNotes(notes('ur'), 'ur')).toEqual([m.n_venue_access({ notes: '\u2068Step-free.\u2069' }, { locale: 'ur' }), notes('ur')[1]]);
	});

	it('cut a message around its values', () => {
		expect(pieces((i: { email: string; invite: string }) => m.ab_email_details_invite(i, en), ['email', 'invite'])).toEqual([
			'We will email the details and a calendar file to ',
			', and to ',
			'.'
		]);
	});
});

describe('the meeting components', () => {
	const notes = ['Access: Step-free entrance.', 'There is a private room.'];

	it('keep their English', () => {
		expect(render(MeetingWhere, { props: { where: 'By phone: your specialist will call you on 07700 900982' } }).body).toContain('By phone: your specialist will call you on 07700 900982');
		expect(render(MeetingWhere, { props: { where: 'x', videoLink: 'https://video.example.org/a' } }).body).toContain(
			'By video call: join at <a href="https://video.example.org/a" class="url">https://video.example.org/a</a>'
		);
		const venue = render(VenueNotes, { props: { notes } }).body;
		expect(venue).toContain('<dt>Access</dt> <dd>Step-free entrance.</dd>');
		expect(venue).toContain('<dt>Privacy</dt> <dd>There is a private room.</dd>');
		const call = render(CallToChange, { props: { reason: 'too-late', helpline: { phone: '0161 496 0000', hours: '9am to 5pm' }, action: 'cancel' } }).body;
		expect(call).toContain('It is too late to cancel this meeting online.');
		expect(call).toContain('To cancel it, call <a href="tel:01614960000">0161 496 0000</a> and give your reference number. Lines are open 9am to 5pm.');
	});

	it('say where in Welsh and Urdu, the venue marked as English and the number isolated', () => {
		overwriteGetLocale(() => 'ur');
		const phone = render(MeetingWhere, { props: { where: 'x', parts: { kind: 'phone', phone: '07700 900982' } } }).body;
		expect(phone).toContain('<bdi>07700 900982</bdi>');
		expect(phone).not.toMatch(/By phone/);
		const video = render(MeetingWhere, { props: { where: 'x', videoLink: 'https://v.example.org/a', parts: { kind: 'video', link: 'https://v.example.org/a' } } }).body;
		expect(video).toContain('<a href="https://v.example.org/a" class="url" dir="ltr">');
		overwriteGetLocale(() => 'cy');
		const place = render(MeetingWhere, { props: { where: 'x', parts: { kind: 'in-person', venue: 'Central Library, M2 5PD' } } }).body;
		expect(place).toContain('Wyneb yn wyneb yn <span lang="en-GB" dir="ltr">Central Library, M2 5PD</span>');
		const welshNotes = [m.n_venue_access({ notes: 'Step-free entrance.' }, { locale: 'cy' }), m.n_venue_private({}, { locale: 'cy' })];
		const venue = render(VenueNotes, { props: { notes: welshNotes } }).body;
		expect(venue).toContain(`<dt>${m.ab_access({}, { locale: 'cy' })}</dt> <dd lang="en-GB" dir="ltr">Step-free entrance.</dd>`);
		expect(venue).toContain(`<dt>${m.ab_privacy({}, { locale: 'cy' })}</dt> <dd>${welshNotes[1]}</dd>`);
		const call = render(CallToChange, { props: { reason: 'past', helpline: null } }).body;
		expect(call).toContain(m.ab_refused_past({}, { locale: 'cy' }));
	});
});
