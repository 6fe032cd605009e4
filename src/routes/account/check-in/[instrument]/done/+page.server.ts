import { error, redirect } from '@sveltejs/kit';
import { isSymptomQuestionnaire, needsCrisisHelp } from '$lib/domain/measures';
import { resultWords } from '$lib/i18n/check-ins';
import { enabledQuestionnaire, listCheckIns } from '$lib/server/measures/check-ins';
import { requireParticipant } from '$lib/http/guard';
import { getProgramme } from '$lib/server/programmes';
import type { PageServerLoad } from './$types';

/** After sending: the result in plain words, and where to see progress over time. */
export const load: PageServerLoad = async (event) => {
	const participant = requireParticipant(event);
	const instrument = (await enabledQuestionnaire(participant, event.params.instrument)) ?? error(404, 'Not found');
	const latest = (await listCheckIns(participant, instrument.id)).at(-1);
	if (!latest) redirect(303, `/account/check-in/${instrument.id}`);
	const crisis = needsCrisisHelp(instrument.id, latest.answers);
	const programme = crisis ? await getProgramme(participant.programmeId) : null;
	return {
		sentences: resultWords(instrument.id, latest.result),
		notADiagnosis: isSymptomQuestionnaire(instrument.id),
		crisis,
		helpline: programme?.helpline ?? null
	};
};
