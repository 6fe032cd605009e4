/**
 * The measures registry: every questionnaire the portal can ask, by id. Pages, reports and the
 * `measures score` command all score through these functions.
 */
import { dialog } from './dialog';
import { eq5d5l } from './eq5d5l';
import { gad7 } from './gad7';
import type { Instrument, InstrumentId } from './instrument';
import { ons4 } from './ons4';
import { phq8 } from './phq8';
import { phq9 } from './phq9';
import { swemwbs } from './swemwbs';

export * from './instrument';
export { dialog, roundedMean, DIALOG_LIFE_ITEMS, type DialogResult } from './dialog';
export { swemwbs, SWEMWBS_METRIC, type SwemwbsResult } from './swemwbs';
export { ons4, ons4Band, type Ons4Band, type Ons4Result } from './ons4';
export { gad7, gadBand, type GadBand, type Gad7Result } from './gad7';
export { phq9, phqBand, type PhqBand, type PhqResult, type Phq9Result } from './phq9';
export { phq8 } from './phq8';
export { eq5d5l, type Eq5d5lResult } from './eq5d5l';

export const INSTRUMENTS = { dialog, swemwbs, ons4, gad7, phq9, phq8, eq5d5l } as const;

export type InstrumentResult<Id extends InstrumentId> = (typeof INSTRUMENTS)[Id] extends Instrument<infer R> ? R : never;

export const INSTRUMENT_IDS = Object.keys(INSTRUMENTS) as InstrumentId[];

export function isInstrumentId(value: string): value is InstrumentId {
	return Object.hasOwn(INSTRUMENTS, value);
}

export function getInstrument(id: string): Instrument<unknown> | undefined {
	return isInstrumentId(id) ? INSTRUMENTS[id] : undefined;
}

/**
 * Whether a programme may use an instrument: free ones always; licensed ones (EQ-5D-5L) only when the
 * programme records that it holds the licence.
 */
export function instrumentAvailable(id: InstrumentId, licensedInstruments: readonly string[]): boolean {
	return !INSTRUMENTS[id].licence.requiresLicence || licensedInstruments.includes(id);
}
