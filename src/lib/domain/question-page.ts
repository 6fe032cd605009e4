/**
 * A question page of the public journey: one question per page, its fields (for rendering) and its zod
 * schema (for validation on the server, with the plain-English messages).
 */
import type { z } from 'zod';
import type { Field, Option } from './fields';

export type Flow = 'check' | 'refer' | 'more' | 'job';

export interface SchemaContext {
	/** ISO date of today in the UK */
	today: string;
	/** ISO timestamp now */
	now: () => string;
}

export interface PageContext {
	answers: Readonly<Record<string, unknown>>;
	/** True when the draft already knows where the person came from (a /r/ link). */
	hasSource: boolean;
}

export interface QuestionPage {
	id: string;
	flow: Flow;
	/** The page heading: the question. */
	heading: string;
	hint?: string;
	/** Why we ask, shown under the question for optional and sensitive questions. */
	why?: string;
	/** Optional questions say so in the heading area and can be left blank. */
	optional?: boolean;
	fields: Field[];
	schema: (ctx: SchemaContext) => z.ZodType;
	/** Short label for the check-your-answers list. */
	summaryLabel: string;
	/** The same label as staff read it on the referral page, when summaryLabel speaks to the person ("Your health"). */
	staffSummaryLabel?: string;
	showIf?: (ctx: PageContext) => boolean;
	/**
	 * Answers this page sets without asking them directly (the rules engine's own answers, from a combined
	 * page): typed in events like any field, never drawn.
	 */
	derived?: Field[];
	/** Computes the derived answers from every answer with this page's merged in; undefined removes one. */
	derive?: (answers: Readonly<Record<string, unknown>>) => Record<string, unknown>;
}

/** The answer options many questions share. */
export const yesNoNotSure: Option[] = [
	{ value: 'yes', label: 'Yes' },
	{ value: 'no', label: 'No' },
	{ value: 'not-sure', label: 'I’m not sure', staffLabel: 'Not sure' }
];
export const YNN = ['yes', 'no', 'not-sure'] as const;
export const yesNo: Option[] = [
	{ value: 'yes', label: 'Yes' },
	{ value: 'no', label: 'No' }
];
export const YN = ['yes', 'no'] as const;

/**
 * What a list of pages collects: the output of every page's schema, merged. Derived from the page
 * definitions, so a new question is typed where it is defined.
 */
export type AnswersOf<Pages extends readonly QuestionPage[]> = UnionToIntersection<
	Pages[number] extends infer P ? (P extends { schema: (ctx: SchemaContext) => infer S extends z.ZodType } ? z.output<S> : never) : never
>;

type UnionToIntersection<U> = (U extends unknown ? (x: U) => void : never) extends (x: infer I) => void ? I : never;
