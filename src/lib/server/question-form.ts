import type { RawValues } from '$lib/domain/fields';
import type { QuestionPage } from '$lib/domain/journey';
import { ukDate } from '$lib/domain/uk-time';
import { parseForm } from './forms';

export interface FormFailure {
	raw: RawValues;
	errors: Record<string, string>;
}

/** Reads and validates one question page's form with its zod schema. */
export async function parseQuestionForm(
	page: QuestionPage,
	request: Request
): Promise<{ ok: true; values: Record<string, unknown> } | ({ ok: false } & FormFailure)> {
	const now = new Date();
	const result = await parseForm({ fields: page.fields, schema: page.schema({ today: ukDate(now), now: () => now.toISOString() }) }, request);
	return result.ok ? { ok: true, values: result.values as Record<string, unknown> } : { ok: false, raw: result.raw, errors: result.errors };
}

/** Only "check-answers" may be passed as a return target; anything else is ignored. */
export function returnTarget(url: URL): 'check-answers' | null {
	return url.searchParams.get('return') === 'check-answers' ? 'check-answers' : null;
}
