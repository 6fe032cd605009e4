import { redirect } from '@sveltejs/kit';
import { DIALOG_AREAS, compareRatings, formatScore, ratingWords } from '$lib/domain/measures';
import { ukDate } from '$lib/domain/uk-time';
import { accountLocale } from '$lib/i18n/account';
import { changeWordsIn } from '$lib/i18n/check-ins';
import { localDate } from '$lib/i18n/locale-dates';
import { BASE_LOCALE } from '$lib/i18n/locales';
import { m } from '$lib/paraglide/messages';
import { listCheckIns, ratingsOf } from '$lib/server/measures/check-ins';
import { requireParticipant } from '$lib/http/guard';
import type { DialogResult } from '$lib/domain/measures';
import type { PageServerLoad } from './$types';

/**
 * After sending: this check-in compared with the one before, in words (shown only now, after rating). In the
 * person's language, but for DIALOG+'s own words (its areas and ratings), which stay in English: `*English`
 * says which cells hold them, for the page to mark them.
 */
export const load: PageServerLoad = async (event) => {
	const participant = requireParticipant(event);
	const rows = await listCheckIns(participant, 'dialog');
	const latest = rows.at(-1);
	if (!latest) redirect(303, '/account/check-in/dialog');
	const previous = rows.length > 1 ? rows[rows.length - 2] : null;
	const comparison = compareRatings(previous ? ratingsOf(previous) : null, ratingsOf(latest));
	const result = latest.result as unknown as DialogResult;
	const english = accountLocale() === BASE_LOCALE;
	return {
		previousDate: previous ? localDate(ukDate(previous.completedAt)) : null,
		rows: comparison.map((c) => ({
			key: c.key,
			label: c.label,
			previous: c.previous === null ? (previous ? (english ? 'Did not apply' : m.ap_did_not_apply()) : '') : ratingWords(c.previous),
			previousEnglish: c.previous !== null,
			now: c.now === null ? (english ? 'Does not apply' : m.ap_does_not_apply()) : ratingWords(c.now),
			nowEnglish: c.now !== null,
			words: english ? c.words : changeWordsIn(c.previous, c.now)
		})),
		overall: result.lifeMean === null ? null : formatScore(result.lifeMean),
		care: result.treatmentMean === null ? null : formatScore(result.treatmentMean),
		talkAbout: latest.talkAbout.map((k) => DIALOG_AREAS.find((a) => a.key === k)?.label ?? k)
	};
};
