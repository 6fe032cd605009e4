/** The one way a staff, admin or public form is read on the server: its fields, checked with its zod schema. */
import type { z } from 'zod';
import { parseFormData, type FormDefinition, type FormResult } from '$lib/domain/fields';

/** Reads and validates a posted form (a Request or its FormData), or a GET form's query (URLSearchParams). */
export async function parseForm<S extends z.ZodType>(form: FormDefinition<S>, from: Request | FormData | URLSearchParams): Promise<FormResult<z.output<S>>> {
	const data = from instanceof Request ? await from.formData() : from;
	return parseFormData(form, data);
}
