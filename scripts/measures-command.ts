/**
 * `measures score <instrument> <answers>`: scores answers with the same functions as the site and prints
 * one JSON object. Pure: it never opens the database.
 */
import { INSTRUMENT_IDS, MeasureInputError, getInstrument } from '../src/lib/domain/measures';

export const MEASURES_USAGE = '  npm run cli -- measures score <instrument> <answers>';

export const MEASURES_HELP = `  <instrument> one of: ${INSTRUMENT_IDS.join(', ')}
  <answers>    item values in question order, comma-separated; leave a DIALOG item (or the EQ-5D-5L
               health scale) empty to skip it, e.g. measures score dialog 4,5,,6,7,7,7,7,,3,5`;

/** "4,5,,6" -> [4, 5, null, 6]; text that is not a number is passed on for the scorer to refuse by item. */
export function parseAnswers(text: string): unknown[] {
	return text.split(',').map((part) => {
		const value = part.trim();
		if (value === '') return null;
		return /^[+-]?\d+(\.\d+)?$/.test(value) ? Number(value) : value;
	});
}

/** Runs the command on the arguments after "measures"; returns the exit code. */
export function measuresCommand(argv: readonly string[]): number {
	const [action, id, answers, ...extra] = argv;
	if (action !== 'score' || id === undefined || answers === undefined || extra.length > 0) {
		console.error(`Usage:\n${MEASURES_USAGE}\n\n${MEASURES_HELP}`);
		return 2;
	}
	const instrument = getInstrument(id);
	if (!instrument) {
		console.error(`Unknown instrument "${id}". Use one of: ${INSTRUMENT_IDS.join(', ')}.`);
		return 2;
	}
	try {
		const result = instrument.score(parseAnswers(answers));
		console.log(JSON.stringify({ instrument: instrument.id, ...(result as object) }));
		return 0;
	} catch (error) {
		if (!(error instanceof MeasureInputError)) throw error;
		console.error(`${error.message}.`);
		return 2;
	}
}
