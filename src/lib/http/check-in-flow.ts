/**
 * The request boundary shared by the two check-in flows (a wellbeing questionnaire, `/account/check-in/<id>/...`,
 * and DIALOG+, `/account/check-in/dialog/...`): the step number from the address, the "came from the check
 * page" flag, and a step's answer (the page again with the errors, or saved and on to the next page).
 */
import { error, fail, redirect } from '@sveltejs/kit';
import type { FormDefinition } from '$lib/domain/fields';
import type { z } from 'zod';
import { parseForm } from '$lib/server/forms';

/** The step from the address (numbered from 1, at most `digits` digits) as a 0-based index, or 404 past `count`. */
export function stepIndex(param: string, count: number, digits = 3): number {
	const n = new RegExp(`^\\d{1,${digits}}$`).test(param) ? Number(param) : 0;
	if (n < 1 || n > count) error(404, 'Not found');
	return n - 1;
}

/** The step was opened from the check page's "Change" link, so its answer goes back there. */
export const fromCheck = (url: URL) => url.searchParams.get('from') === 'check';

/** A step's answer: the page again with what was sent and the errors, or `save` it and go where it says. */
export async function saveStep<S extends z.ZodType>(form: FormDefinition<S>, request: Request, save: (values: z.output<S>) => Promise<string>) {
	const result = await parseForm(form, request);
	if (!result.ok) return fail(400, { values: result.raw, errors: result.errors });
	redirect(303, await save(result.values));
}
