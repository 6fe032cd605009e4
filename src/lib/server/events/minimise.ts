/**
 * Data minimisation per receiver (issue 12 item 6, issue 19 part 3). Every receiver gets the core referral
 * and contact details; health details and equality data only when its subscription or API key was given
 * that scope. New subscriptions and keys get the core only. The event's body is fixed when it is appended;
 * this removes fields from it the same way every time, so each retry, replay and page of one event to one
 * receiver is still byte for byte the same.
 *
 * - health: the answers about health (the condition in the person's words, its kinds, its daily impact,
 *   whether they have one, secondary care, communication needs), the NHS number, check-in scores, a
 *   wellbeing concern's kind, every answer in the person's own words beyond their name and contact details
 *   (job goals, interpreter language, employer, "somewhere else"), free-text reasons (a withdrawal's, a
 *   cancelled meeting's) and, whole, the check-in and wellbeing event types: that a person did a check-in
 *   or raised a concern is itself a health detail. Without it those events are not sent, not served by the
 *   pull API and not listed by the deliveries API.
 * - equality: the equality monitoring answers (gender, ethnicity).
 */
import { CHECK_PAGES } from '$lib/domain/check-pages';
import { MORE_PAGES, REFER_PAGES } from '$lib/domain/refer-pages';
import type { EventType } from './log';

export const DATA_SCOPES = ['health', 'equality'] as const;
export type DataScope = (typeof DATA_SCOPES)[number];

export const DATA_SCOPE_LABELS: Record<DataScope, string> = {
	health: 'Health details (the condition, NHS number, check-ins, scores and wellbeing concerns, and answers in the person\'s own words)',
	equality: 'Equality monitoring answers (gender, ethnicity)'
};

/** The scopes in short (the CLI): "core", "core+health", "core+health+equality". */
export function scopesCode(scopes: readonly string[]): string {
	return ['core', ...readScopes(scopes)].join('+');
}

/** The scopes in words (admin pages): "Referral and contact details only", or with what else. */
export function scopesInWords(scopes: readonly string[]): string {
	const known = readScopes(scopes);
	if (!known.length) return 'Referral and contact details only';
	return `Referral and contact details, ${known.map((s) => (s === 'health' ? 'health details' : 'equality monitoring answers')).join(' and ')}`;
}

export const HEALTH_ANSWERS = [
	'conditionDescription',
	'conditionCategories',
	'dailyImpact',
	'healthCondition',
	'secondaryCare',
	// The combined checker page's ticks say whether the person has secondary mental health care.
	'circumstances',
	'notSureAbout',
	'communicationNeeds',
	'nhsNumber'
] as const;
export const EQUALITY_ANSWERS = ['gender', 'ethnicity'] as const;

/** Free-text answers every receiver gets: who the person is and how to reach them. */
const CORE_TEXT_ANSWERS = ['givenName', 'familyName', 'preferredName', 'pronouns', 'phone', 'email', 'postcode'];

/**
 * Answers typed in the person's own words beyond the core (job goals, interpreter language, employer, ...):
 * read from the question pages, so a new free-text question is health-scope only until it is listed above.
 */
export const FREE_TEXT_ANSWERS: readonly string[] = [...CHECK_PAGES, ...REFER_PAGES, ...MORE_PAGES]
	.flatMap((page) => page.fields)
	.filter((f) => (f.kind === 'text' || f.kind === 'textarea') && !CORE_TEXT_ANSWERS.includes(f.name) && !(HEALTH_ANSWERS as readonly string[]).includes(f.name))
	.map((f) => f.name);

/** Event types that are health details in themselves: check-ins, measures and wellbeing. */
export const HEALTH_EVENT_TYPES = ['checkin.completed', 'wellbeing.concern_raised', 'wellbeing.concern_resolved'] as const satisfies readonly EventType[];

// Every stored event type about check-ins, measures or wellbeing must be listed above (a compile error otherwise).
type HealthLike = Extract<EventType, `checkin.${string}` | `measure.${string}` | `measures.${string}` | `wellbeing.${string}` | `concern.${string}`>;
const everyHealthTypeListed: [Exclude<HealthLike, (typeof HEALTH_EVENT_TYPES)[number]>] extends [never] ? true : false = true;
void everyHealthTypeListed;

export function isHealthEventType(type: string): boolean {
	return (HEALTH_EVENT_TYPES as readonly string[]).includes(type);
}

/** Whether a receiver with these scopes gets events of this type at all. */
export function sendsEventType(type: string, scopes: readonly DataScope[]): boolean {
	return scopes.includes('health') || !isHealthEventType(type);
}

/** The event types a receiver with these scopes may get, of those asked for. */
export function eventTypesFor<T extends string>(types: readonly T[], scopes: readonly DataScope[]): T[] {
	return types.filter((t) => sendsEventType(t, scopes));
}

export function readScopes(stored: unknown): DataScope[] {
	return Array.isArray(stored) ? DATA_SCOPES.filter((s) => stored.includes(s)) : [];
}

type Json = Record<string, unknown>;

/** The data part of an event or a referral, minimised in place. */
export function minimiseData(data: Json, scopes: readonly DataScope[]): void {
	const answers = data.answers as Json | undefined;
	// referral.details_added repeats the page's answers under change.answers: minimised the same way.
	const changed = (data.change as Json | undefined)?.answers as Json | undefined;
	const answerSets = [answers, changed].filter((a): a is Json => !!a);
	if (!scopes.includes('health')) {
		for (const set of answerSets) for (const key of [...HEALTH_ANSWERS, ...FREE_TEXT_ANSWERS]) delete set[key];
		const source = data.source as Json | undefined;
		if (source) delete source.detail;
		const checkIn = data.checkIn as Json | undefined;
		if (checkIn && 'scores' in checkIn) {
			delete checkIn.scores;
			checkIn.href = `/api/v1/check-ins/${String(checkIn.id)}`;
		}
		const concern = data.concern as Json | undefined;
		if (concern) delete concern.kind;
		const change = data.change as Json | undefined;
		if (change) delete change.reason;
		const meeting = data.meeting as Json | undefined;
		if (meeting) delete meeting.reason;
	}
	if (!scopes.includes('equality')) for (const set of answerSets) for (const key of EQUALITY_ANSWERS) delete set[key];
}

/** An event body (JSON text) as a receiver with these scopes gets it; unchanged with every scope. */
export function minimiseBody(body: string, scopes: readonly DataScope[]): string {
	if (DATA_SCOPES.every((s) => scopes.includes(s))) return body;
	const parsed = JSON.parse(body) as { data?: Json };
	if (parsed.data) minimiseData(parsed.data, scopes);
	return JSON.stringify(parsed);
}
