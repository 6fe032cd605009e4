/**
 * The instruments by id. Kept apart from index.ts so the modules that index.ts re-exports (schedules,
 * progress, reports) can use the registry without importing index.ts in a circle.
 */
import { dialog } from './dialog';
import { eq5d5l } from './eq5d5l';
import { gad7 } from './gad7';
import type { Instrument, InstrumentId } from './instrument';
import { ons4 } from './ons4';
import { phq8 } from './phq8';
import { phq9 } from './phq9';
import { swemwbs } from './swemwbs';

export const INSTRUMENTS = { dialog, swemwbs, ons4, gad7, phq9, phq8, eq5d5l } as const;

export type InstrumentResult<Id extends InstrumentId> = (typeof INSTRUMENTS)[Id] extends Instrument<infer R> ? R : never;

export const INSTRUMENT_IDS = Object.keys(INSTRUMENTS) as InstrumentId[];

/** Titles by id, as people read them ("GAD-7"). */
export const INSTRUMENT_TITLES = Object.fromEntries(INSTRUMENT_IDS.map((id) => [id, INSTRUMENTS[id].title])) as Record<InstrumentId, string>;

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
