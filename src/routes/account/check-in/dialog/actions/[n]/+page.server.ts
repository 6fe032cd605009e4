import { error, redirect } from '@sveltejs/kit';
import { actionReviewForm, dialogArea, nextAreaToRate, REVIEW_OUTCOMES, type ReviewOutcome } from '$lib/domain/measures';
import type { Field } from '$lib/domain/fields';
import { fromCheck, saveStep } from '$lib/http/check-in-flow';
import { dialogDraft, saveActionReview } from '$lib/server/measures/check-ins';
import { pendingActions } from '$lib/server/measures/dialog-actions';
import { requireParticipant } from '$lib/http/guard';
import { accountLocale } from '$lib/i18n/account';
import { reviewOutcomeWords, stepCaption } from '$lib/i18n/check-ins';
import { BASE_LOCALE } from '$lib/i18n/locales';
import { m } from '$lib/paraglide/messages';
import type { ParticipantUser } from '$lib/server/auth/sessions';
import type { Actions, PageServerLoad } from './$types';

/**
 * Before rating: each action agreed with the specialist last time, one per page, "Did you do this?". The
 * answer is kept in the draft and written to the action when the check-in is sent. With no actions to
 * review (or a number past the last), the check-in goes on to the areas.
 */
async function actionAt(participant: ParticipantUser, param: string) {
	const n = /^\d{1,3}$/.test(param) ? Number(param) : 0;
	if (n < 1) error(404, 'Not found');
	const [pending, draft] = await Promise.all([pendingActions(participant), dialogDraft(participant)]);
	const action = pending[n - 1];
	const next = nextAreaToRate(draft.ratings);
	const afterActions = next ? `/account/check-in/dialog/${next.index + 1}` : '/account/check-in/dialog/check';
	if (!action) redirect(303, afterActions);
	return { n, action, pending, draft, afterActions };
}

/**
 * The question is the portal's own (not DIALOG+'s): in the person's language. The hint names the area,
 * which is DIALOG+'s words: in another language the intro above the question names it, marked as English.
 */
function reviewFields(fields: Field[]): Field[] {
	if (accountLocale() === BASE_LOCALE) return fields;
	return fields.map((f) =>
		f.kind === 'radios' ? { ...f, label: m.ap_review_question(), hint: undefined, options: f.options.map((o) => ({ ...o, label: reviewOutcomeWords(o.value as ReviewOutcome) })) } : f
	);
}

export const load: PageServerLoad = async (event) => {
	const participant = requireParticipant(event);
	const { n, action, pending, draft } = await actionAt(participant, event.params.n);
	const form = actionReviewForm({ area: action.areaKey, action: action.action });
	const outcome = draft.reviews?.[action.id];
	return {
		question: { heading: accountLocale() === BASE_LOCALE ? 'Did you do this?' : m.ap_review_question(), fields: reviewFields(form.fields) },
		caption: stepCaption('action', n, pending.length),
		area: dialogArea(action.areaKey)?.label ?? '',
		action: action.action,
		values: { outcome: outcome && (REVIEW_OUTCOMES as readonly string[]).includes(outcome) ? outcome : '' },
		back: fromCheck(event.url) ? '/account/check-in/dialog/check' : n === 1 ? '/account/check-in/dialog' : `/account/check-in/dialog/actions/${n - 1}`
	};
};

export const actions: Actions = {
	default: async (event) => {
		const participant = requireParticipant(event);
		const { n, action, pending, afterActions } = await actionAt(participant, event.params.n);
		return saveStep(actionReviewForm({ area: action.areaKey, action: action.action }), event.request, async (values) => {
			await saveActionReview(participant, action.id, values);
			if (fromCheck(event.url)) return '/account/check-in/dialog/check';
			return n < pending.length ? `/account/check-in/dialog/actions/${n + 1}` : afterActions;
		});
	}
};
