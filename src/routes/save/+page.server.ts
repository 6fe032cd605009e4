import { fail, redirect } from '@sveltejs/kit';
import { z } from 'zod';
import { email } from '$lib/domain/fields';
import { m } from '$lib/paraglide/messages';
import { getConfig } from '$lib/server/config';
import { loadDraft, resumeUrl } from '$lib/server/journey';
import { describeError, log } from '$lib/server/log';
import { consumeRateLimit, rateLimitClient } from '$lib/server/rate-limit';
import { SAVE_EMAILS_PER_RECIPIENT, emailResumeLink, underRecipientCap } from '$lib/server/save-return';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async ({ cookies }) => {
	const draft = await loadDraft(cookies);
	if (!draft) redirect(303, '/');
	return {
		email: typeof draft.answers.email === 'string' ? draft.answers.email : '',
		continueHref: await resumeUrl(draft)
	};
};

// Made for each request: its message is in the person's language.
const schema = () => z.object({ email: email(m.j_save_error_empty()) });

export const actions: Actions = {
	/**
	 * Queues an email with a link back to this draft (sent by the job worker); rate limited per draft and per
	 * connection, and capped per recipient.
	 */
	default: async ({ cookies, request, url, getClientAddress }) => {
		const draft = await loadDraft(cookies);
		if (!draft) redirect(303, '/');
		const form = await request.formData();
		const raw = String(form.get('email') ?? '').slice(0, 300);
		if (String(form.get('website') ?? '') !== '') return fail(400, { raw, error: m.j_save_error_later() });
		const parsed = schema().safeParse({ email: raw });
		if (!parsed.success) return fail(400, { raw, error: parsed.error.issues[0].message });
		const allowed =
			(await consumeRateLimit(`save-email:draft:${draft.id}`, 5, 60 * 60)) &&
			(await consumeRateLimit(`save-email:ip:${rateLimitClient(getClientAddress())}`, 20, 60 * 60));
		if (!allowed) return fail(429, { raw, error: m.j_save_error_too_many() });
		// Past the cap for this recipient (from anywhere) nothing is sent, but the page says "sent" as
		// always, so it never tells whether an address has been used. The log has no address.
		if (!(await underRecipientCap(parsed.data.email!))) {
			log.warn('save-and-return email not sent: recipient cap reached', { perDay: SAVE_EMAILS_PER_RECIPIENT });
			return { sent: parsed.data.email! };
		}
		try {
			await emailResumeLink(draft, parsed.data.email!, getConfig().ORIGIN ?? url.origin);
		} catch (error) {
			log.error('save-and-return email could not be queued', { error: describeError(error) });
			return fail(502, { raw, error: m.j_save_error_not_queued() });
		}
		return { sent: parsed.data.email! };
	}
};
