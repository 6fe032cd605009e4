/** What a one-question step page (booking's day and time, a check-in's question) is given by its route. */
import type { ComponentProps } from 'svelte';
import type QuestionPage from './QuestionPage.svelte';

type Page = ComponentProps<typeof QuestionPage>;

export interface QuestionStepData {
	question: Page['page'];
	values: Page['values'];
	/** Where "Back" goes. */
	back: string;
}

/** The action's answer after a failed post: what was sent, and the errors beside the fields. */
export type QuestionStepForm = { values?: Page['values']; errors?: Page['errors'] } | null;
