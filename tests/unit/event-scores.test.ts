/**
 * The scores case systems get for a check-in (events and GET /api/v1/check-ins/{id}): picked field by field
 * from the registry's result, typed per instrument, never answers, never the PHQ-9 item 9 alert.
 */
import { describe, expect, it } from 'vitest';
import { INSTRUMENTS } from '../../src/lib/domain/measures';
import { checkInScoresSchema, eventCheckInSchema, publicScores } from '../../src/lib/server/events/measures-payload';

describe('publicScores', () => {
	it('gives each instrument its documented shape, from the scorer\'s own result', () => {
		expect(publicScores('dialog', INSTRUMENTS.dialog.score([3, 4, 5, 2, null, 6, 4, 5, 6, 6, 7]))).toEqual({
			instrument: 'dialog',
			lifeMean: 4.14,
			treatmentMean: 6.33,
			lifeAnswered: 7,
			treatmentAnswered: 3
		});
		expect(publicScores('swemwbs', INSTRUMENTS.swemwbs.score([1, 1, 1, 1, 1, 1, 2]))).toEqual({ instrument: 'swemwbs', raw: 8, metric: 9.51 });
		expect(publicScores('ons4', INSTRUMENTS.ons4.score([10, 0, 5, 6]))).toEqual({
			instrument: 'ons4',
			values: [10, 0, 5, 6],
			bands: ['very high', 'low', 'medium', 'high']
		});
		expect(publicScores('gad7', INSTRUMENTS.gad7.score([3, 3, 3, 3, 3, 3, 3]))).toEqual({ instrument: 'gad7', total: 21, band: 'severe' });
		expect(publicScores('phq8', INSTRUMENTS.phq8.score([0, 0, 0, 0, 0, 0, 0, 0]))).toEqual({ instrument: 'phq8', total: 0, band: 'none-minimal' });
		expect(publicScores('eq5d5l', INSTRUMENTS.eq5d5l.score([1, 1, 2, 2, 3, 70]))).toEqual({ instrument: 'eq5d5l', profile: '11223', vas: 70 });
	});

	it('never carries PHQ-9 item 9 or its alert, nor anything else the stored result holds', () => {
		const result = INSTRUMENTS.phq9.score([0, 0, 0, 0, 0, 0, 0, 0, 3]);
		expect(result.item9Alert).toBe(true);
		const scores = publicScores('phq9', { ...result, answers: [0, 0, 0, 0, 0, 0, 0, 0, 3], item9: 3 });
		expect(scores).toEqual({ instrument: 'phq9', total: 3, band: 'none-minimal' });
		expect(JSON.stringify(scores)).not.toMatch(/item9|answers/);
		// The schema itself strips what it does not name.
		const parsed = checkInScoresSchema.parse({ instrument: 'phq9', total: 3, band: 'none-minimal', item9Alert: true });
		expect(parsed).not.toHaveProperty('item9Alert');
	});

	it('gives null for a result that cannot be read as the instrument\'s, and for unknown instruments', () => {
		expect(publicScores('gad7', { total: 30, band: 'severe' })).toBeNull();
		expect(publicScores('swemwbs', { raw: 21 })).toBeNull();
		expect(publicScores('ons4', null)).toBeNull();
		expect(publicScores('mood-diary', { total: 3 })).toBeNull();
	});

	it('a check-in in an event has scores or a link to the check-ins endpoint', () => {
		const base = { id: '0b5c1e1a-7f43-4d0e-9a53-2d4f1c1b2a10', instrument: 'gad7', pointId: null, completedAt: '2027-03-29T10:12:00.000Z' };
		expect(eventCheckInSchema.safeParse({ ...base, scores: { instrument: 'gad7', total: 4, band: 'minimal' } }).success).toBe(true);
		expect(eventCheckInSchema.safeParse({ ...base, href: `/api/v1/check-ins/${base.id}` }).success).toBe(true);
		expect(eventCheckInSchema.safeParse(base).success).toBe(false);
		expect(eventCheckInSchema.safeParse({ ...base, href: 'https://elsewhere.example/x' }).success).toBe(false);
	});
});
