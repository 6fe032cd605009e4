import { redirect } from '@sveltejs/kit';
import { DIALOG_AREAS, compareRatings, formatScore, ratingWords } from '$lib/domain/measures';
import { formatDate, ukDate } from '$lib/domain/uk-time';
import { listCheckIns, ratingsOf } from '$lib/server/measures/check-ins';
import { requireParticipant } from '$lib/http/guard';
import type { DialogResult } from '$lib/domain/measures';
import type { PageServerLoad } from './$types';

/** After sending: this check-in compared with the one before, in words (shown only now, after rating). */
export const load: PageServerLoad = async (event) => {
	const participant = requireParticipant(event);
	const rows = await listCheckIns(participant, 'dialog');
	const latest = rows.at(-1);
	if (!latest) redirect(303, '/account/check-in/dialog');
	const previous = rows.length > 1 ? rows[rows.length - 2] : null;
	const comparison = compareRatings(previous ? ratingsOf(previous) : null, ratingsOf(latest));
	const result = latest.result as unknown as DialogResult;
	return {
		previousDate: previous ? formatDate(ukDate(previous.completedAt)) : null,
		rows: comparison.map((c) => ({
			key: c.key,
			label: c.label,
			previous: c.previous === null ? (previous ? 'Did not apply' : '') : ratingWords(c.previous),
			now: c.now === null ? 'Does not apply' : ratingWords(c.now),
			words: c.words
		})),
		overall: result.lifeMean === null ? null : formatScore(result.lifeMean),
		care: result.treatmentMean === null ? null : formatScore(result.treatmentMean),
		talkAbout: latest.talkAbout.map((k) => DIALOG_AREAS.find((a) => a.key === k)?.label ?? k)
	};
};
