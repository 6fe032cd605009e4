import { fail } from '@sveltejs/kit';
import { readRaw, validate } from '$lib/domain/fields';
import { STATUS_LOOKUP_FIELDS, statusLookupSchema } from '$lib/domain/casework';
import { ukDate } from '$lib/domain/working-days';
import { lookUpStatus } from '$lib/server/casework';
import { consumeRateLimit } from '$lib/server/rate-limit';
import type { Actions } from './$types';

const NOT_FOUND = 'We could not find a referral with those details. Check your reference number and date of birth, and try again.';

export const actions: Actions = {
	/** Reference + date of birth -> the status in words. Rate limited per connection and per reference. */
	default: async ({ request, getClientAddress }) => {
		const raw = readRaw(STATUS_LOOKUP_FIELDS, await request.formData());
		const result = validate(statusLookupSchema(ukDate(new Date())), STATUS_LOOKUP_FIELDS, raw);
		if (!result.ok) return fail(400, { raw, errors: result.errors, problem: null });
		const { reference, dateOfBirth } = result.values as { reference: string; dateOfBirth: string };
		const allowed = (await consumeRateLimit(`status:ip:${getClientAddress()}`, 10, 15 * 60)) && (await consumeRateLimit(`status:ref:${reference}`, 10, 60 * 60));
		if (!allowed) return fail(429, { raw, errors: {}, problem: 'You have tried too many times. Wait 15 minutes and try again, or call us.' });
		const status = await lookUpStatus(reference, dateOfBirth);
		if (!status) return fail(404, { raw, errors: {}, problem: NOT_FOUND });
		return { status };
	}
};
