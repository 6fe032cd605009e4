import { error, redirect } from '@sveltejs/kit';
import { needsCrisisHelp, nextQuestion } from '$lib/domain/measures';
import { enabledQuestionnaire, questionnaireDraft } from '$lib/server/measures/check-ins';
import { requireParticipant } from '$lib/http/guard';
import { openingHoursIn, whenTeamSeesItWords } from '$lib/i18n/check-ins';
import { getProgramme } from '$lib/server/programmes';
import { calendarFor } from '$lib/server/service-calendar';
import type { PageServerLoad } from './$types';

/**
 * Crisis help, shown straight after an answer that calls for it (PHQ-9 item 9 above 0) and before any
 * other question: getting help comes first, then when the team will truly see it (from the programme's
 * opening hours, never "soon"), then carrying on. The specialist and safety contacts were alerted when
 * the answer was saved. All in the person's language: it is the portal's own help, not a questionnaire.
 */
export const load: PageServerLoad = async (event) => {
	const participant = requireParticipant(event);
	const instrument = (await enabledQuestionnaire(participant, event.params.instrument)) ?? error(404, 'Not found');
	const draft = await questionnaireDraft(participant, instrument);
	const base = `/account/check-in/${instrument.id}`;
	if (!needsCrisisHelp(instrument.id, draft.answers)) redirect(303, base);
	const [programme, calendar] = await Promise.all([getProgramme(participant.programmeId), calendarFor(participant.programmeId)]);
	const next = nextQuestion(instrument, draft.answers);
	return {
		helpline: programme?.helpline ?? null,
		whenSeen: whenTeamSeesItWords(calendar, new Date()),
		openingHours: openingHoursIn(calendar.settings),
		carryOn: event.url.searchParams.get('from') === 'check' || next === null ? `${base}/check` : `${base}/${next + 1}`
	};
};
