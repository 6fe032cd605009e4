/**
 * Moving through the question pages: which page is which, which referral pages apply, and how an answer
 * reads on check your answers. The pages are in check-pages.ts and refer-pages.ts.
 */
import { CHECK_PAGES, COMBINED_QUESTIONS } from './check-pages';
import type { Assessment, EligibilityQuestion } from './eligibility';
import { CONSENT_FIELDS, CONSENT_PERSON_LABELS, CONSENT_STAFF_LABELS } from './consents';
import type { Field, Option } from './fields';
import { MORE_PAGES, REFER_PAGES } from './refer-pages';
import { JOB_PAGES } from './jobs';
import type { Flow, PageContext, QuestionPage } from './question-page';
import { formatDate } from './uk-time';

export { CHECK_PAGES } from './check-pages';
export { MORE_PAGES, REFER_PAGES } from './refer-pages';
export type { Flow, PageContext, QuestionPage, SchemaContext } from './question-page';
export type { DraftAnswers } from './draft-answers';

export function findPage(flow: Flow, id: string): QuestionPage | undefined {
	return (flow === 'check' ? CHECK_PAGES : flow === 'refer' ? REFER_PAGES : flow === 'more' ? MORE_PAGES : JOB_PAGES).find((p) => p.id === id);
}

type CheckProgress = Readonly<{ circumstances?: unknown; notSureAbout?: unknown }>;
const unsureOpen = (answers: CheckProgress) => Array.isArray(answers.circumstances) && answers.circumstances.includes('not-sure');

/**
 * The checker page that asks one of the rules engine's questions: the engine's three exclusion and routing
 * questions share the page "Do any of these apply to you?", and "Which of these are you not sure about?"
 * follows it while "I'm not sure" is ticked and that page is not answered.
 */
export function checkPageId(question: EligibilityQuestion, answers: CheckProgress): string {
	if (!(COMBINED_QUESTIONS as readonly string[]).includes(question)) return question;
	return unsureOpen(answers) && !answers.notSureAbout ? 'not-sure' : 'circumstances';
}

/** The checker pages reached so far, in order: the pages of the engine's questions asked. */
export function checkPagesReached(asked: readonly EligibilityQuestion[], answers: CheckProgress): string[] {
	const ids: string[] = [];
	for (const question of asked) {
		if (!(COMBINED_QUESTIONS as readonly string[]).includes(question)) ids.push(question);
		else if (!ids.includes('circumstances')) ids.push('circumstances', ...(unsureOpen(answers) ? ['not-sure'] : []));
	}
	return ids;
}

/** Where the checker goes next: the page of the question the engine asks, or the result. */
export function checkHref(assessment: Assessment, answers: CheckProgress): string {
	return assessment.status === 'ask' ? `/check/${checkPageId(assessment.question, answers)}` : '/check/result';
}

/** The optional pages after sending that apply to this person, in order. */
export function morePath(ctx: PageContext): QuestionPage[] {
	return MORE_PAGES.filter((p) => !p.showIf || p.showIf(ctx));
}

/**
 * How many questions come before "Send referral", for the start page: the checker's pages (the "not sure"
 * page only shows for someone not sure) and the referral's pages this person would see.
 */
export function questionCount(hasSource: boolean): { check: number; refer: number } {
	return {
		check: CHECK_PAGES.filter((p) => p.id !== 'not-sure').length,
		refer: REFER_PAGES.filter((p) => !p.showIf || p.showIf({ answers: {}, hasSource })).length
	};
}

/** The referral pages that apply to this person, in order. */
export function referPath(ctx: PageContext): QuestionPage[] {
	return REFER_PAGES.filter((p) => !p.showIf || p.showIf(ctx));
}

/** A page counts as answered once it was saved, even when every field was left blank (optional pages). */
export function isAnswered(page: QuestionPage, answered: ReadonlySet<string>): boolean {
	return answered.has(`${page.flow}/${page.id}`);
}

/**
 * How an answer reads on check your answers, in the person's own words; for `staff` (the referral page),
 * as staff read it: "Prefers not to say" for "I prefer not to say", a consent by what it is about.
 */
export function describeAnswer(page: QuestionPage, answers: Readonly<Record<string, unknown>>, audience: 'person' | 'staff' = 'person'): string[] {
	const word = (o: Option | undefined) => (o ? (audience === 'staff' ? (o.staffLabel ?? o.label) : o.label) : undefined);
	const consentLabel = (field: Field) => {
		const kind = CONSENT_FIELDS.find(([name]) => name === field.name)?.[1];
		if (!kind) return field.label ?? '';
		return audience === 'staff' ? CONSENT_STAFF_LABELS[kind] : CONSENT_PERSON_LABELS[kind];
	};
	const lines: string[] = [];
	const empty = (v: unknown) => v == null || v === '' || (Array.isArray(v) && v.length === 0);
	const others = page.fields.filter((f) => f.kind !== 'consent');
	// A consent that only goes with an answer (the NHS number) means nothing when the answer is blank.
	if (others.length && page.fields.length > others.length && others.every((f) => empty(answers[f.name]))) return ['Not given'];
	// The person reads their name on one line, and of several consents those they agreed to.
	const names = audience === 'person' && page.fields.some((f) => f.name === 'givenName') && page.fields.some((f) => f.name === 'familyName');
	const consents = page.fields.filter((f) => f.kind === 'consent').length;
	for (const field of page.fields) {
		const value = answers[field.name];
		if (value == null || value === '' || (Array.isArray(value) && value.length === 0)) continue;
		if (names && field.name === 'givenName') lines.push([value, answers.familyName].filter((v) => typeof v === 'string' && v).join(' '));
		else if (names && field.name === 'familyName') continue;
		else if (field.kind === 'radios' && page.fields.length > 1 && audience === 'person' && field.answerWords?.[String(value)]) lines.push(field.answerWords[String(value)]);
		else if (field.kind === 'radios') lines.push(word(field.options.find((o) => o.value === value)) ?? String(value));
		else if (field.kind === 'checkboxes')
			lines.push((value as string[]).map((v) => word(field.options.find((o) => o.value === v)) ?? v).join(', '));
		else if (field.kind === 'consent') {
			const given = (value as { given?: boolean }).given;
			if (consents > 1 && audience === 'person') {
				if (given) lines.push(consentLabel(field));
			} else if (page.fields.length > 1) lines.push(`${given ? 'Yes' : 'No'}: ${consentLabel(field)}`);
			else lines.push(given ? 'Yes' : 'No');
		} else if (field.kind === 'date') {
			lines.push(formatDate(String(value)));
		} else lines.push(String(value));
	}
	return lines.length ? lines : ['Not given'];
}
