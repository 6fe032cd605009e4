/**
 * The rest of the person's account in the request's language (issue 25): "Your details", "Your consents",
 * "Your data", asking for deletion, withdrawing, "Tell us more" and "I have started a job". The domain
 * modules (your-details.ts, consents.ts, consent-withdrawal.ts, data-rights.ts, jobs.ts, your-data.ts) give
 * their words in English; this module says them again from messages/{locale}/account.json (keys `ar_`) or,
 * for a question's own words, through t(). For English every function gives exactly what those modules
 * give, so English pages do not change.
 *
 * Values inside running text (an email address, a phone number, a reference) are isolated on a
 * right-to-left page with Unicode's isolate marks (FSI … PDI, what `<bdi>` does), so English and Welsh
 * keep their text exactly as it was. Scored questionnaires' words stay in English (questionnaireLang).
 */
import { m } from '$lib/paraglide/messages';
import { CLOSE_REASONS, isStatus, type Status } from '$lib/domain/casework/statuses';
import { CONTACT_CHANNELS, CONTACT_OUTCOMES } from '$lib/domain/casework/contact-attempts';
import { CONSENT_PERSON_LABELS, type ConsentKind } from '$lib/domain/consents';
import type { Field } from '$lib/domain/fields';
import { CHECK_PAGES, MORE_PAGES, REFER_PAGES, type QuestionPage } from '$lib/domain/journey';
import { EVIDENCE_LABELS, JOB_END_REASONS, JOB_KIND_LABELS, hoursWords, type Evidence, type JobKind } from '$lib/domain/jobs';
import { CONCERN_RESOLUTIONS, type ConcernResolution } from '$lib/domain/measures/concern-resolution';
import { REVIEW_OUTCOME_WORDS, type ReviewOutcome } from '$lib/domain/measures/dialog-review';
import { MODE_LABELS, type ModeKind } from '$lib/domain/meetings/modes';
import { SOURCES, type SourceCode } from '$lib/domain/sources';
import { formatDate, formatLongDate, formatUkDateTime } from '$lib/domain/uk-time';
import type { DetailRow } from '$lib/domain/your-details';
import { PREFERENCE_PAGES } from '$lib/domain/your-details';
import { SAID_AGAIN, accountLocale } from './account';
import { BASE_LOCALE, LOCALE_INFO, type Locale } from './locales';
import { localDate, localFullDateTime, localLongDate } from './locale-dates';
import { textKey } from './text-key';

type Say = (inputs?: Record<string, never>, options?: { locale?: Locale }) => string;

const english = (locale?: string) => accountLocale(locale) === BASE_LOCALE;

const questionMessages = m as unknown as Record<string, Say | undefined>;

/** A question page's words (questions.json, as t() finds them) in the language given, else the request's. */
function t<S extends string | undefined>(words: S, locale?: string): S {
	const l = accountLocale(locale);
	if (!words || l === BASE_LOCALE) return words;
	return (questionMessages[textKey(words)]?.({}, { locale: l }) ?? words) as S;
}

/** A value inside running text, isolated on a right-to-left page (FSI … PDI); as it is otherwise. */
export function isolated(value: string, locale?: string): string {
	return LOCALE_INFO[accountLocale(locale)].dir === 'rtl' ? `\u2068${value}\u2069` : value;
}

/** A list of words joined with the language's comma. */
export function listWords(words: readonly string[], locale?: string): string {
	return words.join(accountLocale(locale) === 'ur' ? '، ' : ', ');
}

// ---- dates and numbers: English keeps the portal's formats, other languages Intl (locale-dates.ts) -------

/** "7 December 2026 at 5:27am" (formatUkDateTime) in English; the language's full date and time otherwise. */
export function dateTimeWords(instant: Date | string, locale?: string): string {
	const at = typeof instant === 'string' ? new Date(instant) : instant;
	return english(locale) ? formatUkDateTime(at) : localFullDateTime(at, accountLocale(locale));
}

/** "15 June 1985" (formatDate) in English. */
export function dayWords(iso: string, locale?: string): string {
	return english(locale) ? formatDate(iso) : localDate(iso, accountLocale(locale));
}

/** "Monday 14 December 2026" (formatLongDate) in English. */
export function longDayWords(iso: string, locale?: string): string {
	return english(locale) ? formatLongDate(iso) : localLongDate(iso, accountLocale(locale));
}

/** "16.5 hours a week" (hoursWords, jobs.ts) in English. */
export function hoursIn(hours: number, locale?: string): string {
	if (english(locale)) return hoursWords(hours);
	const o = { locale: accountLocale(locale) };
	return hours === 1 ? m.a_hours_one({}, o) : m.a_hours({ hours: Number.isInteger(hours) ? hours : hours.toFixed(1) }, o);
}

// ---- answers to a question page, as describeAnswer (journey.ts) says one field's answer ---------------------

/** One field's answer in the language, as describeAnswer gives it for a page of that one field. */
export function fieldAnswerWords(field: Field, value: unknown, locale?: string): string {
	const l = accountLocale(locale);
	const o = { locale: l };
	if (value == null || value === '' || (Array.isArray(value) && value.length === 0)) return m.j_answer_not_given({}, o);
	if (field.kind === 'radios' || field.kind === 'select') {
		const option = field.options.find((x) => x.value === value);
		return option ? t(option.label, l) : String(value);
	}
	if (field.kind === 'checkboxes' && Array.isArray(value)) return listWords(value.map((v) => t(field.options.find((x) => x.value === v)?.label, l) ?? String(v)), l);
	if (field.kind === 'consent') return t((value as { given?: boolean }).given ? 'Yes' : 'No', l);
	if (field.kind === 'date' && typeof value === 'string') return localDate(value, l);
	return String(value);
}

// ---- "Your details" ------------------------------------------------------------------------------------

const PREFERENCE_BY_ID = new Map(PREFERENCE_PAGES.map((p) => [p.id, p]));

/** The rows of "Your details" (detailRows, your-details.ts) in the language. */
export function detailRowsIn(rows: DetailRow[], answers: Readonly<Record<string, unknown>>, current: { email: string | null; phone: string | null }, locale?: string): (DetailRow & { value: boolean })[] {
	const l = accountLocale(locale);
	if (l === BASE_LOCALE) return rows.map((r) => ({ ...r, value: false }));
	const o = { locale: l };
	return rows.map((row) => {
		if (row.id === 'email' || row.id === 'phone') {
			const value = row.id === 'email' ? current.email : current.phone;
			return {
				...row,
				label: row.id === 'email' ? m.ar_email_address({}, o) : m.ar_phone_number({}, o),
				lines: [value ?? m.j_answer_not_given({}, o)],
				changeWhat: row.id === 'email' ? m.ar_change_email({}, o) : m.ar_change_phone({}, o),
				value: value !== null
			};
		}
		const page = PREFERENCE_BY_ID.get(row.id);
		if (!page) return { ...row, value: false };
		const field = page.fields[0];
		const value = answers[page.name];
		const words = field.kind === 'radios' && typeof value === 'string' ? field.answerWords?.[value] : undefined;
		const label = t(page.summaryLabel, l);
		return { ...row, label, lines: [words ? t(words, l) : fieldAnswerWords(field, value, l)], changeWhat: label.toLocaleLowerCase(LOCALE_INFO[l].tag), value: false };
	});
}

const SAVED: Record<string, Say> = {
	email: m.ar_saved_email,
	phone: m.ar_saved_phone,
	'phone-unconfirmed': m.ar_saved_phone_unconfirmed,
	saved: m.ar_saved
};

/** The notice after a change on "Your details", or null. */
export function savedWords(kind: string | null, locale?: string): string | null {
	return kind && Object.hasOwn(SAVED, kind) ? SAVED[kind]({}, { locale: accountLocale(locale) }) : null;
}

/** The hint of "What is your new email address?": what we have now, then the field's own hint. */
export function newAddressHint(kind: 'email' | 'phone', current: string | null, hint: string | undefined, locale?: string): string {
	if (english(locale)) return `${current ? `Your ${kind === 'email' ? 'email address' : 'phone number'} now is ${current}. ` : ''}${hint}`;
	const o = { locale: accountLocale(locale) };
	const now = current ? `${(kind === 'email' ? m.ar_now_email : m.ar_now_phone)({ value: isolated(current, locale) }, o)} ` : '';
	return `${now}${t(hint, locale) ?? ''}`;
}

/** "The code is not right ... You can try 4 more times with this code", and the other refusals of a code. */
export function addressCodeError(result: { reason: 'wrong'; triesLeft: number } | { reason: 'expired' | 'used' | 'too-many' }, minutes: number, maxWrong: number): string {
	switch (result.reason) {
		case 'wrong':
			return result.triesLeft === 1 ? m.ar_code_wrong_one() : m.ar_code_wrong({ tries: result.triesLeft });
		case 'expired':
			return m.ar_code_expired({ minutes });
		case 'used':
			return m.ar_code_used();
		default:
			return m.ar_code_too_many_wrong({ times: maxWrong });
	}
}

// ---- "Your consents" --------------------------------------------------------------------------------

const CONSENT_NAMES: Record<ConsentKind, Say> = {
	processing: m.j_consent_processing,
	referrerUpdates: m.j_consent_referrer_updates,
	evaluation: m.j_consent_evaluation,
	textReminders: m.j_consent_text_reminders,
	nhsNumber: m.j_consent_nhs_number
};

/** A consent's short name (consentName, consent-withdrawal.ts) in the language. */
export function consentNameIn(kind: string, locale?: string): string {
	const say = (CONSENT_NAMES as Record<string, Say | undefined>)[kind];
	if (!say) return (CONSENT_PERSON_LABELS as Record<string, string>)[kind] ?? kind;
	return say({}, { locale: accountLocale(locale) });
}

const MEANS: Record<ConsentKind, readonly Say[]> = {
	processing: [m.ar_means_processing_1, m.ar_means_processing_2],
	referrerUpdates: [m.ar_means_referrer_updates_1, m.ar_means_referrer_updates_2],
	evaluation: [m.ar_means_evaluation_1, m.ar_means_evaluation_2],
	textReminders: [m.ar_means_text_reminders_1, m.ar_means_text_reminders_2],
	nhsNumber: [m.ar_means_nhs_number_1, m.ar_means_nhs_number_2]
};

/** What withdrawing a consent does (WITHDRAWING_MEANS), in the language. */
export function withdrawingMeans(kind: ConsentKind, locale?: string): string[] {
	const o = { locale: accountLocale(locale) };
	return MEANS[kind].map((say) => say({}, o));
}

// ---- withdrawing ---------------------------------------------------------------------------------------

const CONSEQUENCES: readonly Say[] = [m.ar_withdraw_1, m.ar_withdraw_2, m.ar_withdraw_3, m.ar_withdraw_4];

/** What happens when someone withdraws (WITHDRAWAL_CONSEQUENCES), in the language. */
export function withdrawalConsequences(locale?: string): string[] {
	const o = { locale: accountLocale(locale) };
	return CONSEQUENCES.map((say) => say({}, o));
}

// ---- "Your data" ----------------------------------------------------------------------------------------

const STATUS_NAMES: Record<Status, Say> = {
	received: m.ar_d_status_received,
	'meeting-booked': m.ar_d_status_meeting_booked,
	contacted: m.ar_d_status_contacted,
	'eligibility-confirmed': m.ar_d_status_eligibility_confirmed,
	started: m.ar_d_status_started,
	'in-work': m.ar_d_status_in_work,
	closed: m.ar_d_status_closed
};

const CLOSE_NAMES: Record<string, Say> = {
	'001': m.ar_d_close_001,
	'002': m.ar_d_close_002,
	'003': m.ar_d_close_003,
	'004': m.ar_d_close_004,
	'005': m.ar_d_close_005,
	'006': m.ar_d_close_006,
	'007': m.ar_d_close_007,
	'008': m.ar_d_close_008,
	'099': m.ar_d_close_099
};

/** Sources a person is never asked about (so their words are not a question's option). */
const SOURCE_NAMES: Partial<Record<SourceCode, Say>> = {
	'text-campaign': m.ar_d_source_text_campaign,
	'other-campaign': m.ar_d_source_other_campaign
};

const MODE_NAMES: Record<ModeKind, Say> = { 'in-person': m.ar_d_mode_in_person, phone: m.ar_d_mode_phone, video: m.ar_d_mode_video };

const MEETING_STATUS_NAMES: Record<string, Say> = {
	booked: m.ar_d_meeting_booked,
	cancelled: m.ar_d_meeting_cancelled,
	attended: m.ar_d_meeting_attended,
	missed: m.ar_d_meeting_missed
};

const JOB_KIND_NAMES: Record<JobKind, Say> = { new: m.ar_d_kind_new, kept: m.ar_d_kind_kept };

const EVIDENCE_NAMES: Record<Evidence, Say> = {
	'self-reported': m.ar_d_evidence_self_reported,
	'payslip-seen': m.ar_d_evidence_payslip_seen,
	'employer-confirmed': m.ar_d_evidence_employer_confirmed
};

const END_REASON_NAMES: Record<string, Say> = {
	health: m.ar_d_end_health,
	resigned: m.ar_d_end_resigned,
	dismissed: m.ar_d_end_dismissed,
	'contract-ended': m.ar_d_end_contract_ended,
	redundancy: m.ar_d_end_redundancy,
	'better-job': m.ar_d_end_better_job,
	other: m.ar_d_end_other
};

const CHANNEL_NAMES: Record<keyof typeof CONTACT_CHANNELS, Say> = {
	phone: m.ar_d_channel_phone,
	text: m.ar_d_channel_text,
	email: m.ar_d_channel_email,
	video: m.ar_d_channel_video,
	'in-person': m.ar_d_channel_in_person,
	letter: m.ar_d_channel_letter,
	referrer: m.ar_d_channel_referrer
};

const OUTCOME_NAMES: Record<keyof typeof CONTACT_OUTCOMES, Say> = {
	spoke: m.ar_d_outcome_spoke,
	replied: m.ar_d_outcome_replied,
	'no-answer': m.ar_d_outcome_no_answer,
	'message-left': m.ar_d_outcome_message_left,
	sent: m.ar_d_outcome_sent,
	'not-valid': m.ar_d_outcome_not_valid
};

const REVIEW_NAMES: Record<ReviewOutcome, Say> = { done: m.ar_d_review_done, partly: m.ar_d_review_partly, 'not-done': m.ar_d_review_not_done };

const RESOLUTION_NAMES: Record<ConcernResolution, Say> = {
	'spoke-to-them': m.ar_d_resolution_spoke,
	'no-answer': m.ar_d_resolution_no_answer,
	'passed-on': m.ar_d_resolution_passed_on,
	other: m.ar_d_resolution_other
};

/** What each email or text was about (the job's kind), as "Your data" lists them. */
const ABOUT_NAMES: Record<string, Say> = {
	'participant.sign_in': m.ar_d_about_sign_in,
	'participant.confirm_address': m.ar_d_about_confirm_address,
	'meeting.booked': m.ar_d_about_meeting_booked,
	'meeting.rescheduled': m.ar_d_about_meeting_rescheduled,
	'meeting.cancelled': m.ar_d_about_meeting_cancelled,
	'meeting.reminder': m.ar_d_about_meeting_reminder,
	'check_in.reminder': m.ar_d_about_check_in_reminder,
	'job.sustainment_reminder': m.ar_d_about_still_in_work
};

const MESSAGE_STATUS_NAMES: Record<string, Say> = {
	pending: m.ar_d_message_pending,
	done: m.ar_d_message_done,
	failed: m.ar_d_message_failed,
	dropped: m.ar_d_message_dropped
};

/** The English a domain label had, back to its code, to say it again in the language. */
function byEnglish<K extends string>(labels: Record<K, string>, names: Record<K, Say>): Map<string, Say> {
	return new Map((Object.keys(labels) as K[]).map((k) => [labels[k], names[k]]));
}

const JOB_KIND_BY_ENGLISH = byEnglish(JOB_KIND_LABELS, JOB_KIND_NAMES);
const EVIDENCE_BY_ENGLISH = byEnglish(EVIDENCE_LABELS, EVIDENCE_NAMES);
const END_REASON_BY_ENGLISH = new Map(JOB_END_REASONS.map((r) => [r.label as string, END_REASON_NAMES[r.code]]));
const MODE_BY_ENGLISH = byEnglish(MODE_LABELS, MODE_NAMES);
const CHANNEL_BY_ENGLISH = byEnglish(CONTACT_CHANNELS, CHANNEL_NAMES);
const OUTCOME_BY_ENGLISH = new Map((Object.keys(CONTACT_OUTCOMES) as (keyof typeof CONTACT_OUTCOMES)[]).map((k) => [CONTACT_OUTCOMES[k].label as string, OUTCOME_NAMES[k]]));
const REVIEW_BY_ENGLISH = byEnglish(REVIEW_OUTCOME_WORDS, REVIEW_NAMES);
const RESOLUTION_BY_ENGLISH = byEnglish(CONCERN_RESOLUTIONS, RESOLUTION_NAMES);
const SOURCE_BY_STAFF_LABEL = new Map((Object.keys(SOURCES) as SourceCode[]).map((code) => [SOURCES[code].staffLabel as string, code]));
const PAGE_SECTIONS: { section: string; pages: readonly QuestionPage[] }[] = [
	{ section: 'checker', pages: CHECK_PAGES },
	{ section: 'referral', pages: REFER_PAGES },
	{ section: 'after-sending', pages: MORE_PAGES }
];

const isEnglish = english;

/** One of several domain labels in the language, by its English; the English as it is when not known. */
const again = (known: Map<string, Say>, words: string, locale?: string) => (isEnglish(locale) ? words : (known.get(words)?.({}, { locale: accountLocale(locale) }) ?? words));

/**
 * "Your data" (YourDataSections.svelte) says the words your-data.ts gathers in English again in the
 * language: each function gives its English as it is on an English page (and on staff's subject access
 * page, always English).
 */
export const dataWords = {
	dateTime: (iso: string | null, locale?: string) => (iso ? dateTimeWords(iso, locale) : ''),
	day: (iso: string | null, locale?: string) => (iso ? dayWords(iso, locale) : ''),
	/** The referral's status (STATUS_LABELS) by its code. */
	status(code: string, englishWords: string, locale?: string): string {
		if (isEnglish(locale) || !isStatus(code)) return englishWords;
		return STATUS_NAMES[code]({}, { locale: accountLocale(locale) });
	},
	/** The close reason as closeReasonLabel gives it: "004 Chose not to start". */
	closedReason(label: string, locale?: string): string {
		if (isEnglish(locale)) return label;
		const reason = CLOSE_REASONS.find((r) => label === `${r.code} ${r.label}`);
		return reason ? `${reason.code} ${CLOSE_NAMES[reason.code]({}, { locale: accountLocale(locale) })}` : label;
	},
	/** How the person came to the service (sourceLabel: staff's words) in the person's words. */
	source(staffLabel: string, locale?: string): string {
		if (isEnglish(locale)) return staffLabel;
		const code = SOURCE_BY_STAFF_LABEL.get(staffLabel);
		if (!code) return staffLabel === 'Not recorded' ? m.ar_d_not_recorded({}, { locale: accountLocale(locale) }) : staffLabel;
		return SOURCE_NAMES[code]?.({}, { locale: accountLocale(locale) }) ?? t(SOURCES[code].label as string, locale);
	},
	/** A question of the referral, and the answer in words. */
	question(question: string | null, key: string, locale?: string): string {
		if (question === null) return isEnglish(locale) ? `Worked out from your answers (${key})` : m.ar_d_worked_out({ key }, { locale: accountLocale(locale) });
		return t(question, locale);
	},
	answer(answer: { section: string; key: string; value: unknown; words: string[]; question: string | null }, locale?: string): string {
		if (isEnglish(locale) || answer.question === null) return answer.words.join('; ');
		const field = PAGE_SECTIONS.find((s) => s.section === answer.section)
			?.pages.flatMap((p) => p.fields)
			.find((f) => f.name === answer.key);
		return field ? fieldAnswerWords(field, answer.value, locale) : answer.words.join('; ');
	},
	consent: (kind: string, englishWords: string, locale?: string) => (isEnglish(locale) ? englishWords : consentNameIn(kind, locale)),
	wording: (wording: string, locale?: string) => t(wording, locale),
	mode: (how: string, locale?: string) => again(MODE_BY_ENGLISH, how, locale),
	meetingStatus: (status: string, locale?: string) => MEETING_STATUS_NAMES[status]?.({}, { locale: accountLocale(locale) }) ?? status,
	/** A check-in's title: the plain title of the questionnaire (its own name stays as it is). */
	checkInTitle(instrument: string, title: string, locale?: string): string {
		if (isEnglish(locale)) return title;
		return SAID_AGAIN.PLAIN_TITLE_WORDS[instrument]?.({}, { locale: accountLocale(locale) }) ?? title;
	},
	review: (words: string, locale?: string) => again(REVIEW_BY_ENGLISH, words, locale),
	resolution: (words: string, locale?: string) => again(RESOLUTION_BY_ENGLISH, words, locale),
	jobKind: (words: string, locale?: string) => again(JOB_KIND_BY_ENGLISH, words, locale),
	evidence: (words: string, locale?: string) => again(EVIDENCE_BY_ENGLISH, words, locale),
	endReason: (words: string, locale?: string) => again(END_REASON_BY_ENGLISH, words, locale),
	/** " at Acme", after the job's title. */
	atEmployer: (employer: string, locale?: string) => (isEnglish(locale) ? ` at ${employer}` : ` ${m.ar_d_at_employer({ employer }, { locale: accountLocale(locale) })}`),
	channel: (words: string, locale?: string) => again(CHANNEL_BY_ENGLISH, words, locale),
	outcome: (words: string, locale?: string) => again(OUTCOME_BY_ENGLISH, words, locale),
	about: (kind: string, locale?: string) => ABOUT_NAMES[kind]?.({}, { locale: accountLocale(locale) }) ?? kind,
	messageStatus: (status: string, locale?: string) => MESSAGE_STATUS_NAMES[status]?.({}, { locale: accountLocale(locale) }) ?? status,
	/** What happened to a request to delete the data. */
	deletion(d: { status: string; answerBy: string; decidedAt: string | null; refusalReason: string | null }, locale?: string): string {
		if (isEnglish(locale))
			return d.status === 'requested'
				? `Waiting: answer by ${d.answerBy}`
				: d.status === 'refused'
					? `Refused${d.decidedAt ? ` on ${dateTimeWords(d.decidedAt, locale)}` : ''}: ${d.refusalReason ?? ''}`
					: 'Carried out';
		const o = { locale: accountLocale(locale) };
		if (d.status === 'requested') return m.ar_d_deletion_waiting({ date: dayWords(d.answerBy, locale) }, o);
		if (d.status !== 'refused') return m.ar_d_deletion_done({}, o);
		const why = d.refusalReason ? ((SAID_AGAIN.ERASURE_WORDS[d.refusalReason]?.({}, o) ?? d.refusalReason)) : '';
		return d.decidedAt ? m.ar_d_deletion_refused_on({ date: dateTimeWords(d.decidedAt, locale), why }, o) : m.ar_d_deletion_refused({ why }, o);
	}
};

/** For the tests: the messages that say again what another module says in English, by code. */
export const SAID_AGAIN_RIGHTS = {
	STATUS_NAMES,
	CLOSE_NAMES,
	MODE_NAMES,
	JOB_KIND_NAMES,
	EVIDENCE_NAMES,
	END_REASON_NAMES,
	CHANNEL_NAMES,
	OUTCOME_NAMES,
	REVIEW_NAMES,
	RESOLUTION_NAMES,
	SOURCE_NAMES,
	MEANS,
	CONSEQUENCES,
	SAVED
};
