/**
 * Pacing (domain/measures/pacing.ts): at most `maxDueAtOnce` questionnaires asked at once (2 by default),
 * the first check-in spread over the first meetings, and every held-back one still listed.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { readRaw } from '../../src/lib/domain/fields';
import { DEFAULT_PACING, paceCheckIns, pacingForm, readPacing, startPart } from '../../src/lib/domain/measures/pacing';
import { DEFAULT_SCHEDULE, scheduledCheckIns, type CheckInSchedule, type CompletedCheckIn } from '../../src/lib/domain/measures/schedule';
import { DEFAULT_PROGRAMME_MEASURES, readProgrammeMeasures } from '../../src/lib/domain/measures/settings';
import { validateRaw } from '../../src/lib/domain/fields';
import type { InstrumentId } from '../../src/lib/domain/measures/instrument';

const START = '2031-03-02';
const FIVE: CheckInSchedule = {
	points: [
		{ id: 'start', label: 'Start', offset: { amount: 0, unit: 'days' }, windowDays: 14, instruments: ['dialog', 'swemwbs', 'ons4', 'gad7', 'phq9'] },
		{ id: '3-months', label: '3 months', offset: { amount: 3, unit: 'months' }, windowDays: 14, instruments: ['dialog', 'phq9'] }
	]
};

const done = (pointId: string, instrument: InstrumentId): CompletedCheckIn => ({ pointId, instrument, at: new Date('2031-03-03T10:00:00Z') });
const ids = (list: readonly { instrument: string }[]) => list.map((c) => c.instrument);

describe('at most two questionnaires asked at once by default', () => {
	it('asks two of the three Start questionnaires, holds the third back, and lists the next point', () => {
		const all = scheduledCheckIns(DEFAULT_SCHEDULE, START, [], '2031-03-03');
		const paced = paceCheckIns(all, DEFAULT_PACING, 0);
		expect(ids(paced.now)).toEqual(['dialog', 'swemwbs']);
		expect(paced.waiting.map((w) => [w.checkIn.instrument, w.until])).toEqual([['ons4', { kind: 'one-done' }]]);
		expect(paced.upcoming.map((c) => [c.pointId, c.instrument])).toEqual([
			['3-months', 'dialog'],
			['3-months', 'swemwbs'],
			['3-months', 'ons4']
		]);
	});

	it('moves the next one up when one is done', () => {
		const all = scheduledCheckIns(DEFAULT_SCHEDULE, START, [done('start', 'dialog')], '2031-03-03');
		const paced = paceCheckIns(all, DEFAULT_PACING, 0);
		expect(ids(paced.now)).toEqual(['swemwbs', 'ons4']);
		expect(paced.waiting).toEqual([]);
	});

	it('five due at once become two now and three waiting, in order; a programme can ask more', () => {
		const all = scheduledCheckIns(FIVE, START, [], '2031-03-03');
		const paced = paceCheckIns(all, DEFAULT_PACING, 0);
		expect(ids(paced.now)).toEqual(['dialog', 'swemwbs']);
		expect(paced.waiting.map((w) => w.checkIn.instrument)).toEqual(['ons4', 'gad7', 'phq9']);
		expect(ids(paceCheckIns(all, { maxDueAtOnce: 5, startSpread: 1 }, 0).now)).toEqual(['dialog', 'swemwbs', 'ons4', 'gad7', 'phq9']);
		expect(ids(paceCheckIns(all, { maxDueAtOnce: 1, startSpread: 1 }, 0).now)).toEqual(['dialog']);
	});

	it('overdue ones count too, and the limit holds on any day, with nothing lost', () => {
		fc.assert(
			fc.property(
				fc.integer({ min: 0, max: 240 }),
				fc.integer({ min: 1, max: 7 }),
				fc.integer({ min: 1, max: 6 }),
				fc.integer({ min: 0, max: 6 }),
				fc.subarray(['dialog', 'swemwbs', 'ons4', 'gad7', 'phq9'] as InstrumentId[]),
				(day, maxDueAtOnce, startSpread, meetings, doneAtStart) => {
					const today = new Date(Date.UTC(2031, 2, 2 + day)).toISOString().slice(0, 10);
					const all = scheduledCheckIns(FIVE, START, doneAtStart.map((i) => done('start', i)), today);
					const paced = paceCheckIns(all, { maxDueAtOnce, startSpread }, meetings);
					expect(paced.now.length).toBeLessThanOrEqual(maxDueAtOnce);
					const open = all.filter((c) => c.status === 'due' || c.status === 'overdue');
					// Every open questionnaire is either asked now or waiting: none is lost or listed twice.
					const listed = [...paced.now, ...paced.waiting.map((w) => w.checkIn)];
					expect(listed.map((c) => c.pointId + c.instrument).sort()).toEqual(open.map((c) => c.pointId + c.instrument).sort());
					// Nothing waits for a free place while there is one.
					if (paced.now.length < maxDueAtOnce) expect(paced.waiting.filter((w) => w.until.kind === 'one-done')).toEqual([]);
				}
			)
		);
	});
});

describe('spreading the first check-in over the first meetings', () => {
	it('splits the Start questionnaires in their order, as evenly as it can', () => {
		expect([0, 1, 2].map((i) => startPart(i, 3, 1))).toEqual([0, 0, 0]);
		expect([0, 1, 2].map((i) => startPart(i, 3, 2))).toEqual([0, 0, 1]);
		expect([0, 1, 2].map((i) => startPart(i, 3, 3))).toEqual([0, 1, 2]);
		expect([0, 1, 2].map((i) => startPart(i, 3, 6))).toEqual([0, 1, 2]);
		expect([0, 1, 2, 3, 4].map((i) => startPart(i, 5, 2))).toEqual([0, 0, 0, 1, 1]);
	});

	it('asks the second part after the first meeting; later points are not spread', () => {
		const pacing = { maxDueAtOnce: 2, startSpread: 3 };
		const all = scheduledCheckIns(DEFAULT_SCHEDULE, START, [], '2031-03-03');
		const before = paceCheckIns(all, pacing, 0);
		expect(ids(before.now)).toEqual(['dialog']);
		expect(before.waiting.map((w) => [w.checkIn.instrument, w.until])).toEqual([
			['swemwbs', { kind: 'meeting', meeting: 1 }],
			['ons4', { kind: 'meeting', meeting: 2 }]
		]);
		expect(ids(paceCheckIns(all, pacing, 1).now)).toEqual(['dialog', 'swemwbs']);
		const afterTwo = paceCheckIns(all, pacing, 2);
		expect(ids(afterTwo.now)).toEqual(['dialog', 'swemwbs']);
		expect(afterTwo.waiting.map((w) => [w.checkIn.instrument, w.until.kind])).toEqual([['ons4', 'one-done']]);
		// At 3 months, all three are asked as the limit allows, whatever the meetings.
		const later = paceCheckIns(scheduledCheckIns(DEFAULT_SCHEDULE, START, [], '2031-05-25'), pacing, 0);
		expect(later.now.map((c) => [c.pointId, c.instrument])).toEqual([
			['3-months', 'dialog'],
			['3-months', 'swemwbs']
		]);
	});
});

describe('the pacing settings', () => {
	it('default to two at once and no spread, also for programmes saved before they existed', () => {
		expect(DEFAULT_PROGRAMME_MEASURES).toMatchObject({ maxDueAtOnce: 2, startSpread: 1 });
		expect(readProgrammeMeasures({ hidePreviousRatings: false })).toMatchObject({ maxDueAtOnce: 2, startSpread: 1 });
		expect(readProgrammeMeasures({ maxDueAtOnce: 3, startSpread: 2 })).toMatchObject({ maxDueAtOnce: 3, startSpread: 2 });
		expect(readPacing({ maxDueAtOnce: 0, startSpread: 'two' })).toEqual({ maxDueAtOnce: 2, startSpread: 1 });
		expect(readPacing({ maxDueAtOnce: 1.5, startSpread: 99 })).toEqual({ maxDueAtOnce: 2, startSpread: 1 });
	});

	it('are whole numbers in range, with the error beside the field', () => {
		const post = (maxDueAtOnce: string, startSpread: string) =>
			validateRaw(pacingForm, readRaw(pacingForm.fields, new URLSearchParams({ maxDueAtOnce, startSpread })));
		expect(post(' 3 ', '2')).toMatchObject({ ok: true, values: { maxDueAtOnce: 3, startSpread: 2 } });
		expect(post('0', '7')).toMatchObject({
			ok: false,
			errors: {
				maxDueAtOnce: 'Most questionnaires asked at once must be a whole number from 1 to 7',
				startSpread: 'Meetings to spread the first check-in over must be a whole number from 1 to 6'
			}
		});
		expect(post('', 'two').ok).toBe(false);
	});
});
