/**
 * A programme's measures settings (programme.measures, jsonb). Missing or unreadable values take the
 * defaults, so a programme saved before a setting existed keeps working.
 */
import { DEFAULT_PACING, readPacing } from './pacing';
import { DEFAULT_MEANINGFUL_CHANGE, readMeaningfulChange, type MeaningfulChange } from './progress';
import { DEFAULT_SCHEDULE, readSchedule, type CheckInSchedule } from './schedule';

export interface ProgrammeMeasures {
	/** People re-rate DIALOG without seeing their earlier ratings; the comparison is shown afterwards. */
	hidePreviousRatings: boolean;
	/**
	 * When check-ins are due, and which questionnaires each asks. The instruments a programme turns on are
	 * the ones in its schedule.
	 */
	schedule: CheckInSchedule;
	/** The most questionnaires the home page asks for at once; the rest wait their turn (pacing.ts). */
	maxDueAtOnce: number;
	/** The first check-in's questionnaires are spread over this many meetings (1: all from the start). */
	startSpread: number;
	/** Improved / maintained / reduced threshold per measure, in the measure's own points. */
	meaningfulChange: MeaningfulChange;
	/** The programme records that it holds a EuroQol licence for EQ-5D-5L; off by default. */
	eq5d5lLicence: boolean;
	/**
	 * Scores may go to the programme's case system inside `checkin.completed` (webhooks and the API). Off
	 * by default: the event then carries a link to fetch the check-in with an API key.
	 */
	healthDataInEvents: boolean;
}

export const DEFAULT_PROGRAMME_MEASURES: Readonly<ProgrammeMeasures> = Object.freeze({
	hidePreviousRatings: true,
	schedule: DEFAULT_SCHEDULE,
	maxDueAtOnce: DEFAULT_PACING.maxDueAtOnce,
	startSpread: DEFAULT_PACING.startSpread,
	meaningfulChange: { ...DEFAULT_MEANINGFUL_CHANGE },
	eq5d5lLicence: false,
	healthDataInEvents: false
});

function flag(source: Record<string, unknown>, key: keyof ProgrammeMeasures): boolean {
	const value = source[key];
	return typeof value === 'boolean' ? value : (DEFAULT_PROGRAMME_MEASURES[key] as boolean);
}

export function readProgrammeMeasures(stored: unknown): ProgrammeMeasures {
	const source = typeof stored === 'object' && stored !== null ? (stored as Record<string, unknown>) : {};
	return {
		hidePreviousRatings: flag(source, 'hidePreviousRatings'),
		schedule: source.schedule === undefined ? DEFAULT_SCHEDULE : readSchedule(source.schedule),
		...readPacing(source),
		meaningfulChange: source.meaningfulChange === undefined ? { ...DEFAULT_MEANINGFUL_CHANGE } : readMeaningfulChange(source.meaningfulChange),
		eq5d5lLicence: flag(source, 'eq5d5lLicence'),
		healthDataInEvents: flag(source, 'healthDataInEvents')
	};
}

/** The questionnaires a programme turns on: those in its schedule (EQ-5D-5L only with a licence). */
export function enabledInstruments(measures: ProgrammeMeasures): string[] {
	const ids = new Set(measures.schedule.points.flatMap((p) => p.instruments));
	if (!measures.eq5d5lLicence) ids.delete('eq5d5l');
	return [...ids];
}
