import { fail } from '@sveltejs/kit';
import { readRaw, validate } from '$lib/domain/fields';
import { STATUS_LOOKUP_FIELDS, statusLookupSchema } from '$lib/domain/casework';
import { ukDate } from '$lib/domain/uk-time';
import { m } from '$lib/paraglide/messages';
import { lookUpStatus } from '$lib/server/casework';
import { consumeRateLimit, rateLimitClient, underRateLimit } from '$lib/server/rate-limit';
import type { Actions } from './$types';

/** The reference's own error messages (casework's schema has them in English) in the person's language. */
const REFERENCE_ERRORS = [m.j_status_error_reference, m.j_status_error_reference_format];
function inLanguage(errors: Record<string, string>): Record<string, string> {
	return Object.fromEntries(
		Object.entries(errors).map(([name, message]) => [name, REFERENCE_ERRORS.find((said) => said({}, { locale: 'en' }) === message)?.() ?? message])
	);
}

export const actions: Actions = {
	/**
	 * Reference + date of birth -> the status in words. Limits: 10 tries per connection in 15 minutes and
	 * 10 per reference and connection in an hour, so wrong guesses from one place do not lock the owner out
	 * elsewhere; and 50 wrong answers per reference in a day from anywhere, a ceiling that only many
	 * addresses together could reach. Behind a proxy, the connection is the client address that
	 * ADDRESS_HEADER and XFF_DEPTH give (README).
	 */
	default: async ({ request, getClientAddress }) => {
		const raw = readRaw(STATUS_LOOKUP_FIELDS, await request.formData());
		const result = validate(statusLookupSchema(ukDate(new Date())), STATUS_LOOKUP_FIELDS, raw);
		if (!result.ok) return fail(400, { raw, errors: inLanguage(result.errors), problem: null });
		const { reference, dateOfBirth } = result.values as { reference: string; dateOfBirth: string };
		const address = rateLimitClient(getClientAddress());
		const allowed =
			(await consumeRateLimit(`status:ip:${address}`, 10, 15 * 60)) &&
			(await consumeRateLimit(`status:ref-ip:${reference}:${address}`, 10, 60 * 60)) &&
			(await underRateLimit(`status:ref-wrong:${reference}`, 50, 24 * 60 * 60));
		if (!allowed) return fail(429, { raw, errors: {}, problem: m.j_status_too_many() });
		const status = await lookUpStatus(reference, dateOfBirth);
		if (!status) {
			await consumeRateLimit(`status:ref-wrong:${reference}`, 50, 24 * 60 * 60);
			return fail(404, { raw, errors: {}, problem: m.j_status_not_found() });
		}
		return { status };
	}
};
