/**
 * The public shape of check-ins and wellbeing concerns, as case systems get them: inside the
 * `checkin.completed` and `wellbeing.concern_raised` events (events/payload.ts) and from the pull API
 * (GET /api/v1/check-ins/{id}, GET /api/v1/concerns/{id}). One zod schema per part, so the event schema and
 * the API answer cannot drift apart.
 *
 * `scores` is the scored result only, picked field by field from what the registry's scorer stored
 * (check_in.result): never an item answer, never PHQ-9 item 9 or its alert. Whether the scores travel in
 * the event is the programme's `healthDataInEvents` setting at the moment the event is appended; without
 * it the event carries `href`, the API address to fetch them from with an API key of that programme.
 */
import { z } from 'zod';
import { INSTRUMENT_IDS, type InstrumentId } from '$lib/domain/measures';
import { CONCERN_KINDS, CONCERN_RESOLUTION_CODES, type ConcernResolution } from '$lib/domain/measures/concern-resolution';

const instant = z.iso.datetime({ offset: true }).describe('An instant, ISO 8601 with time zone (UTC, "Z")');

/** Absolute-path links to the pull API (the same host as the webhook's sender). */
export const checkInHref = (id: string) => `/api/v1/check-ins/${id}`;
export const concernHref = (id: string) => `/api/v1/concerns/${id}`;

const mean = z.number().min(1).max(7).nullable();
const ons4Band = z.enum(['very low', 'low', 'medium', 'high', 'very high']);
const phqBand = z.enum(['none-minimal', 'mild', 'moderate', 'moderately severe', 'severe']);
const tenPoint = z.number().int().min(0).max(10);

export const checkInScoresSchema = z
	.discriminatedUnion('instrument', [
		z
			.object({
				instrument: z.literal('dialog'),
				lifeMean: mean.describe('Mean satisfaction (1-7) over the life areas answered (items 1-8), two decimals; null when none was answered'),
				treatmentMean: mean.describe('Mean satisfaction (1-7) over the treatment items answered (items 9-11), two decimals; null when none was answered'),
				lifeAnswered: z.number().int().min(0).max(8).describe('How many of the 8 life areas were answered (the others did not apply)'),
				treatmentAnswered: z.number().int().min(0).max(3).describe('How many of the 3 treatment items were answered')
			})
			.describe('DIALOG'),
		z
			.object({
				instrument: z.literal('swemwbs'),
				raw: z.number().int().min(7).max(35).describe('Sum of the seven answers, 7-35'),
				metric: z.number().min(7).max(35).describe('The published raw-to-metric conversion: report this one')
			})
			.describe('SWEMWBS'),
		z
			.object({
				instrument: z.literal('ons4'),
				values: z
					.tuple([tenPoint, tenPoint, tenPoint, tenPoint])
					.describe('Each question 0-10, in order: life satisfaction, worthwhile, happy yesterday, anxious yesterday. Never summed'),
				bands: z
					.tuple([ons4Band, ons4Band, ons4Band, ons4Band])
					.describe('The ONS band of each value, same order (for anxiety a low value is good)')
			})
			.describe('ONS4 personal wellbeing'),
		z
			.object({
				instrument: z.literal('gad7'),
				total: z.number().int().min(0).max(21),
				band: z.enum(['minimal', 'mild', 'moderate', 'severe'])
			})
			.describe('GAD-7'),
		z
			.object({ instrument: z.literal('phq9'), total: z.number().int().min(0).max(27), band: phqBand })
			.describe('PHQ-9: total and band only (no item answers)'),
		z.object({ instrument: z.literal('phq8'), total: z.number().int().min(0).max(24), band: phqBand }).describe('PHQ-8'),
		z
			.object({
				instrument: z.literal('eq5d5l'),
				profile: z.string().regex(/^[1-5]{5}$/).describe('The EQ-5D-5L health state, one level 1-5 per dimension, like "11223" (no value set applied)'),
				vas: z.number().int().min(0).max(100).nullable().describe('The 0-100 health scale; null when not answered')
			})
			.describe('EQ-5D-5L descriptive system (only for programmes that hold the licence)')
	])
	.describe('The scored result of the check-in, by instrument. Never the answers to single questions.');

export type CheckInScores = z.infer<typeof checkInScoresSchema>;

const checkInBase = {
	id: z.uuid().describe('The check-in id'),
	instrument: z.enum(INSTRUMENT_IDS).describe('dialog, swemwbs, ons4, gad7, phq9, phq8 or eq5d5l'),
	pointId: z.string().nullable().describe('The programme\'s schedule point this check-in answered (like "start"); null when done outside the schedule'),
	completedAt: instant
};

export const checkInWithScoresSchema = z
	.object({ ...checkInBase, scores: checkInScoresSchema })
	.describe('With scores: the programme allowed health data in events when this was sent');
export const checkInWithLinkSchema = z
	.object({
		...checkInBase,
		href: z
			.string()
			.regex(/^\/api\/v1\/check-ins\/[0-9a-f-]{36}$/)
			.describe('No scores in events for this programme: fetch them here with an API key of the programme (an absolute path on the portal)')
	})
	.describe('Without scores: the programme keeps health data out of events');

export const eventCheckInSchema = z
	.union([checkInWithScoresSchema, checkInWithLinkSchema])
	.describe('The check-in: scores when the programme allows health data in events, otherwise href to fetch them');

export { CONCERN_KINDS };

export const eventConcernSchema = z
	.object({
		id: z.uuid().describe('The concern id'),
		kind: z
			.enum(CONCERN_KINDS)
			.optional()
			.describe('crisis: an answer that needs crisis help at once; steep-fall: a steep fall between two check-ins; falling-trend: a falling trend with missed meetings. Only for receivers given health details'),
		checkInId: z.uuid().nullable().describe('The check-in that raised it, if one did'),
		raisedAt: instant,
		href: z.string().regex(/^\/api\/v1\/concerns\/[0-9a-f-]{36}$/).describe('Fetch the concern (with whether it is resolved) here with an API key of the programme')
	})
	.describe('A wellbeing concern raised for the specialist. No reasons and no scores.');

export const eventConcernResolvedSchema = eventConcernSchema
	.extend({
		resolvedAt: instant.describe('When staff recorded what they did'),
		resolution: z
			.enum(CONCERN_RESOLUTION_CODES as [ConcernResolution, ...ConcernResolution[]])
			.describe('What staff did: spoke-to-them, no-answer (tried to call, no answer), passed-on (to their GP or crisis team) or other. Any note stays in the portal')
	})
	.describe('A wellbeing concern staff have dealt with: what they did, coded. No reasons, no scores and no note.');


const num = (v: unknown): number | null => (typeof v === 'number' && Number.isFinite(v) ? v : null);

/**
 * The public scores of a stored result (check_in.result), picked field by field, or null when the result
 * cannot be read as this instrument's (so nothing unexpected ever leaves). Pure.
 */
export function publicScores(instrument: string, stored: unknown): CheckInScores | null {
	const r = typeof stored === 'object' && stored !== null ? (stored as Record<string, unknown>) : {};
	let picked: Record<string, unknown>;
	switch (instrument as InstrumentId) {
		case 'dialog':
			picked = { lifeMean: num(r.lifeMean), treatmentMean: num(r.treatmentMean), lifeAnswered: r.lifeAnswered, treatmentAnswered: r.treatmentAnswered };
			break;
		case 'swemwbs':
			picked = { raw: r.raw, metric: r.metric };
			break;
		case 'ons4':
			picked = { values: r.scores, bands: r.bands };
			break;
		case 'gad7':
		case 'phq9':
		case 'phq8':
			picked = { total: r.total, band: r.band };
			break;
		case 'eq5d5l':
			picked = { profile: r.profile, vas: r.vas ?? null };
			break;
		default:
			return null;
	}
	const parsed = checkInScoresSchema.safeParse({ instrument, ...picked });
	return parsed.success ? parsed.data : null;
}
