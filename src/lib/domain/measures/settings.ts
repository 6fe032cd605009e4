/** A programme's measures settings (programme.measures, jsonb). Missing or unreadable values take the defaults. */
export interface ProgrammeMeasures {
	/** People re-rate DIALOG without seeing their earlier ratings; the comparison is shown afterwards. */
	hidePreviousRatings: boolean;
}

export const DEFAULT_PROGRAMME_MEASURES: Readonly<ProgrammeMeasures> = Object.freeze({ hidePreviousRatings: true });

export function readProgrammeMeasures(stored: unknown): ProgrammeMeasures {
	const source = typeof stored === 'object' && stored !== null ? (stored as Record<string, unknown>) : {};
	return {
		hidePreviousRatings: typeof source.hidePreviousRatings === 'boolean' ? source.hidePreviousRatings : DEFAULT_PROGRAMME_MEASURES.hidePreviousRatings
	};
}
