/**
 * The participant's sign-in pages, home page and check-ins in the request's language (issue 25). Other
 * modules give some of these pages' words in English (the sign-in forms, the referral's status, check-ins,
 * meetings, jobs); this module says them again from messages/{locale}/account.json. For English it gives
 * exactly what those modules give, so English pages do not change. Dates and times in Welsh and Urdu come
 * from Intl (the language's BCP 47 tag, in UK time); English keeps the portal's own formats.
 *
 * Scored questionnaires (DIALOG+, SWEMWBS, ONS4, GAD-7, PHQ-9/8, EQ-5D-5L) are never translated here: only
 * a translation their owners have checked may be used, and the portal has none yet (questionnaireInEnglish).
 */
import { m } from '$lib/paraglide/messages';
import { getLocale } from '$lib/paraglide/runtime';
import type { Field } from '$lib/domain/fields';
import { emailWhen, slotLabel } from '$lib/domain/meetings/labels';
import type { MeetingPlace } from '$lib/domain/meetings/modes';
import { closeReason, isStatus, type Status } from '$lib/domain/casework/statuses';
import { statusForPerson, type NextMeetingWords } from '$lib/domain/casework/person-status';
import { hoursWords } from '$lib/domain/jobs';
import { lockedMessage } from '$lib/domain/participant-sign-in-forms';
import { formatLongDate, ukDate } from '$lib/domain/uk-time';
import { BASE_LOCALE, LOCALE_INFO, isLocale, type Locale } from './locales';
import { localDate as dateWords, localDay as dayWords, localLongDate as longDateWords, localTime as timeWords } from './locale-dates';

type Say = (inputs?: Record<string, never>, options?: { locale?: Locale }) => string;

/** The request's language (or the one given). */
export function accountLocale(locale?: string): Locale {
	const chosen = locale ?? getLocale();
	return isLocale(chosen) ? chosen : BASE_LOCALE;
}

/** Values shown inside the words (phone numbers, references, emails) are isolated on a right-to-left page. */
export function isolateValues(locale?: string): boolean {
	return LOCALE_INFO[accountLocale(locale)].dir === 'rtl';
}

// ---- dates and times: one module for them (locale-dates.ts) ----------------------------------------

export { localLongDate as longDateWords, localDate as dateWords, localDay as dayWords, localTime as timeWords } from './locale-dates';

interface Times {
	start: Date;
	end: Date;
}

/** "Tuesday 30 March 2027, 10:00am to 10:45am (UK time)" */
export function meetingWhenWords(times: Times, locale?: string): string {
	const l = accountLocale(locale);
	if (l === BASE_LOCALE) return emailWhen(times);
	return m.a_meeting_when({ date: longDateWords(ukDate(times.start), l), start: timeWords(times.start, l), end: timeWords(times.end, l) }, { locale: l });
}

/** "by phone", "by video call", "in person at Central Library" */
export function placeWordsIn(place: MeetingPlace, locale?: string): string {
	const o = { locale: accountLocale(locale) };
	if (place.kind === 'phone') return m.a_place_phone({}, o);
	if (place.kind === 'video') return m.a_place_video({}, o);
	return m.a_place_in_person({ venue: place.venueName }, o);
}

/** "Tuesday 30 March, 10:00am to 10:45am, by phone" */
export function meetingLabelWords(times: Times, place: MeetingPlace, locale?: string): string {
	const l = accountLocale(locale);
	if (l === BASE_LOCALE) return slotLabel(times, place);
	return m.a_meeting_label({ day: dayWords(ukDate(times.start), l), start: timeWords(times.start, l), end: timeWords(times.end, l), place: placeWordsIn(place, l) }, { locale: l });
}

// ---- the sign-in forms ---------------------------------------------------------------------------

/** The sign-in forms' words (participant-sign-in-forms.ts), each said in English by its message. */
const SIGN_IN_WORDS: readonly Say[] = [
	m.a_sign_in_label_email_or_mobile,
	m.a_sign_in_hint_email_or_mobile,
	m.a_sign_in_label_email,
	m.a_sign_in_hint_email,
	m.a_sign_in_empty_email_or_mobile,
	m.a_sign_in_empty_email,
	m.a_sign_in_email_format,
	m.a_sign_in_mobile_format,
	m.a_sign_in_either_format,
	m.a_code_label,
	m.a_code_format
];
let byEnglish: Map<string, Say> | undefined;

/** One of the sign-in forms' English words in the language; other words as they are. */
export function signInWords(english: string, locale?: string): string {
	const l = accountLocale(locale);
	if (l === BASE_LOCALE) return english;
	byEnglish ??= new Map(SIGN_IN_WORDS.map((say) => [say({}, { locale: BASE_LOCALE }), say]));
	return byEnglish.get(english)?.({}, { locale: l }) ?? english;
}

/** The sign-in forms' fields with their label and hint in the language (the same fields in English). */
export function signInFields<F extends Field>(fields: F[], locale?: string): F[] {
	if (accountLocale(locale) === BASE_LOCALE) return fields;
	return fields.map((f) => ({
		...f,
		...('label' in f && f.label ? { label: signInWords(f.label, locale) } : {}),
		...('hint' in f && f.hint ? { hint: signInWords(f.hint, locale) } : {})
	}));
}

/** The sign-in forms' error messages in the language. */
export function signInErrors(errors: Record<string, string>, locale?: string): Record<string, string> {
	if (accountLocale(locale) === BASE_LOCALE) return errors;
	return Object.fromEntries(Object.entries(errors).map(([name, message]) => [name, signInWords(message, locale)]));
}

/** lockedMessage (participant-sign-in-forms.ts) in the language: "Try again after 3:47pm, in 15 minutes." */
export function lockedWords(until: Date, now: Date, locale?: string): string {
	const l = accountLocale(locale);
	if (l === BASE_LOCALE) return lockedMessage(until, now);
	const minutes = Math.max(1, Math.ceil((until.getTime() - now.getTime()) / 60_000));
	const at = new Date(Math.ceil(until.getTime() / 60_000) * 60_000);
	const time = timeWords(at, l);
	const o = { locale: l };
	if (ukDate(at) === ukDate(now)) return minutes === 1 ? m.a_sign_in_locked_one({ time }, o) : m.a_sign_in_locked({ time, minutes }, o);
	return minutes === 1 ? m.a_sign_in_locked_tomorrow_one({ time }, o) : m.a_sign_in_locked_tomorrow({ time, minutes }, o);
}

/** "The code is not right. ... You can try 4 more times before signing in is locked for 15 minutes." */
export function wrongCodeWords(triesLeft: number, lockoutMinutes: number, locale?: string): string {
	const o = { locale: accountLocale(locale) };
	return triesLeft === 1 ? m.a_code_wrong_one({ minutes: lockoutMinutes }, o) : m.a_code_wrong({ tries: triesLeft, minutes: lockoutMinutes }, o);
}

// ---- the home page: the referral's status ---------------------------------------------------------

const STATUS_WORDS: Record<Status, { title: Say; next: Say }> = {
	received: { title: m.a_status_received_title, next: m.a_status_received_next },
	'meeting-booked': { title: m.a_status_meeting_booked_title, next: m.a_status_meeting_booked_next },
	contacted: { title: m.a_status_contacted_title, next: m.a_status_contacted_next },
	'eligibility-confirmed': { title: m.a_status_eligibility_confirmed_title, next: m.a_status_eligibility_confirmed_next },
	started: { title: m.a_status_started_title, next: m.a_status_started_next },
	'in-work': { title: m.a_status_in_work_title, next: m.a_status_in_work_next },
	closed: { title: m.a_status_closed_title, next: m.a_status_closed_next }
};

/** Why a referral was closed, for the person (CLOSE_REASONS' forPerson), by the reason's code. */
const CLOSED_WORDS: Record<string, Say> = {
	'001': m.a_closed_001,
	'002': m.a_closed_002,
	'003': m.a_closed_003,
	'004': m.a_closed_004,
	'005': m.a_closed_005,
	'006': m.a_closed_006,
	'007': m.a_closed_007,
	'008': m.a_closed_008,
	'099': m.a_closed_099
};

/**
 * statusForPerson (casework/person-status.ts) in the language. `nextMeeting` holds the meeting's words in
 * the language already (meetingWhenWords, placeWordsIn).
 */
export function statusWords(
	referral: { status: string; closedReason: string | null; contactTargetDate: string },
	todayIso: string,
	nextMeeting: NextMeetingWords | null,
	locale?: string
): { title: string; lines: string[] } {
	const l = accountLocale(locale);
	if (l === BASE_LOCALE) return statusForPerson(referral, todayIso, nextMeeting);
	const o = { locale: l };
	const status: Status = isStatus(referral.status) ? referral.status : 'received';
	const words = STATUS_WORDS[status];
	const lines: string[] = [];
	if (status !== 'closed' && nextMeeting) {
		const first = status === 'received' || status === 'meeting-booked';
		lines.push((first ? m.a_status_first_meeting : m.a_status_next_meeting)({ when: nextMeeting.when, place: nextMeeting.place }, o));
		const shown = status === 'received' ? STATUS_WORDS['meeting-booked'] : words;
		lines.push(shown.next({}, o));
		return { title: shown.title({}, o), lines };
	}
	if (status === 'received') {
		const date = longDateWords(referral.contactTargetDate, l);
		lines.push(referral.contactTargetDate >= todayIso ? m.a_status_contact_by({ date }, o) : m.a_status_contact_late({ date }, o));
	} else if (status === 'closed') {
		const reason = closeReason(referral.closedReason);
		if (reason) lines.push(CLOSED_WORDS[reason.code]?.({}, o) ?? reason.forPerson);
	}
	lines.push(words.next({}, o));
	return { title: words.title({}, o), lines };
}

// ---- the home page: check-ins --------------------------------------------------------------------

/** A check-in's `when` as facts (measures/due.ts). */
export type CheckInWhenFacts =
	| { kind: 'due' | 'overdue' | 'upcoming'; date: string }
	| { kind: 'waiting'; until: { kind: 'one-done' } | { kind: 'meeting'; meeting: number } };

const PLAIN_TITLE_WORDS: Record<string, Say> = {
	dialog: m.a_title_dialog,
	swemwbs: m.a_title_swemwbs,
	ons4: m.a_title_ons4,
	gad7: m.a_title_gad7,
	phq9: m.a_title_phq9,
	phq8: m.a_title_phq8,
	eq5d5l: m.a_title_eq5d5l
};

const AFTER_MEETING: readonly Say[] = [m.a_after_meeting_1, m.a_after_meeting_2, m.a_after_meeting_3, m.a_after_meeting_4, m.a_after_meeting_5, m.a_after_meeting_6];

/** A schedule point's name ("Start", "3 months": the programme's own words) in the language, where known. */
export function pointWords(label: string, locale?: string): string {
	const l = accountLocale(locale);
	if (l === BASE_LOCALE) return label;
	const o = { locale: l };
	if (/^start$/i.test(label.trim())) return m.a_point_start({}, o);
	const span = /^(\d+)\s+(month|week)s?$/i.exec(label.trim());
	if (!span) return label;
	const n = Number(span[1]);
	if (span[2].toLowerCase() === 'month') return n === 1 ? m.a_point_month_one({}, o) : m.a_point_months({ n }, o);
	return n === 1 ? m.a_point_week_one({}, o) : m.a_point_weeks({ n }, o);
}

/** When a check-in can be done, in the language: "Due by 12 June 2027", "After your first meeting". */
export function checkInWhenWords(facts: CheckInWhenFacts, locale?: string): string {
	const l = accountLocale(locale);
	const o = { locale: l };
	switch (facts.kind) {
		case 'due':
			return m.a_due_by({ date: dateWords(facts.date, l) }, o);
		case 'overdue':
			return m.a_was_due({ date: dateWords(facts.date, l) }, o);
		case 'upcoming':
			return m.a_can_do_from({ date: dateWords(facts.date, l) }, o);
		case 'waiting':
			if (facts.until.kind === 'one-done') return m.a_after_one_done({}, o);
			return AFTER_MEETING[facts.until.meeting - 1]?.({}, o) ?? m.a_after_meeting_n({ n: facts.until.meeting }, o);
	}
}

interface CheckInItemWords {
	instrument: string;
	pointLabel: string;
	title: string;
	when: string;
	whenFacts: CheckInWhenFacts;
}

/** A home-page check-in (measures/due.ts) with its title, point and `when` in the language. */
export function checkInItemWords<T extends CheckInItemWords>(item: T, locale?: string): T {
	const l = accountLocale(locale);
	if (l === BASE_LOCALE) return item;
	const o = { locale: l };
	const point = pointWords(item.pointLabel, l);
	const plain = PLAIN_TITLE_WORDS[item.instrument]?.({}, o);
	return {
		...item,
		title: plain ? m.a_check_in_title({ title: plain, point }, o) : item.title,
		pointLabel: point,
		when: checkInWhenWords(item.whenFacts, l)
	};
}

// ---- the home page: work and data ----------------------------------------------------------------

/** "Cleaner at Acme, 16 hours a week, from Monday 1 March 2027" */
export function jobWords(job: { jobTitle: string; employer: string | null; hoursPerWeek: number; startDate: string }, locale?: string): string {
	const l = accountLocale(locale);
	if (l === BASE_LOCALE) return `${job.jobTitle}${job.employer ? ` at ${job.employer}` : ''}, ${hoursWords(job.hoursPerWeek)}, from ${formatLongDate(job.startDate)}`;
	const o = { locale: l };
	const h = job.hoursPerWeek;
	const hours = h === 1 ? m.a_hours_one({}, o) : m.a_hours({ hours: Number.isInteger(h) ? h : h.toFixed(1) }, o);
	const date = longDateWords(job.startDate, l);
	return job.employer ? m.a_job_words_employer({ title: job.jobTitle, employer: job.employer, hours, date }, o) : m.a_job_words({ title: job.jobTitle, hours, date }, o);
}

/** Why the data cannot be deleted yet (ERASURE_REFUSAL_REASONS' forPerson), by the reason's code. */
const ERASURE_WORDS: Record<string, Say> = {
	'legal-obligation': m.a_erasure_why_legal_obligation,
	safeguarding: m.a_erasure_why_safeguarding,
	'legal-claim': m.a_erasure_why_legal_claim
};

/** The refusal's reason for the person in the language; `english` (data-rights.ts) for a code not known here. */
export function erasureReasonWords(code: string | null | undefined, english: string, locale?: string): string {
	const l = accountLocale(locale);
	if (l === BASE_LOCALE || !code) return english;
	return ERASURE_WORDS[code]?.({}, { locale: l }) ?? english;
}

/** For the tests: the messages that say again what another module says in English, by what they say. */
export const SAID_AGAIN = { SIGN_IN_WORDS, STATUS_WORDS, CLOSED_WORDS, PLAIN_TITLE_WORDS, ERASURE_WORDS };

// ---- questionnaires ------------------------------------------------------------------------------

/**
 * Whether a scored questionnaire is shown in English with a notice in the person's language: always, for
 * any language but English, until a translation checked by the questionnaire's owners is in the portal.
 */
export function questionnaireInEnglish(locale?: string): boolean {
	return accountLocale(locale) !== BASE_LOCALE;
}

/** The `lang` and `dir` of a questionnaire's own words on a page in another language; none on an English page. */
export function questionnaireLang(locale?: string): { lang: string | undefined; dir: 'ltr' | undefined } {
	return questionnaireInEnglish(locale) ? { lang: LOCALE_INFO.en.tag, dir: 'ltr' } : { lang: undefined, dir: undefined };
}
