import { describe, expect, it } from 'vitest';
import { backoffMs } from '../../src/lib/server/jobs/backoff';

describe('backoffMs', () => {
	const equal = { baseMs: 1000, maxMs: 8000, jitter: 0.5 };

	it('doubles the ceiling with each failed try up to the maximum', () => {
		expect([1, 2, 3, 4, 5, 60].map((n) => backoffMs(n, equal, () => 1))).toEqual([1000, 2000, 4000, 8000, 8000, 8000]);
		expect(backoffMs(0, equal, () => 1)).toBe(1000);
		expect(backoffMs(100_000, equal, () => 1)).toBe(8000);
	});

	it('keeps the random part to the jitter share of the ceiling', () => {
		expect(backoffMs(3, equal, () => 0)).toBe(2000);
		expect(backoffMs(3, { ...equal, jitter: 1 }, () => 0)).toBe(0);
		expect(backoffMs(3, { ...equal, jitter: 0 }, () => 0)).toBe(4000);
	});

	it('never waits less than the floor, nor more than the ceiling', () => {
		const full = { baseMs: 1000, maxMs: 60_000, jitter: 1, floorMs: 1000 };
		expect(backoffMs(5, full, () => 0)).toBe(1000);
		expect(backoffMs(1, { ...full, maxMs: 500 }, () => 0)).toBe(500);
		for (let i = 0; i < 500; i++) {
			const d = backoffMs(4, full);
			expect(d).toBeGreaterThanOrEqual(1000);
			expect(d).toBeLessThanOrEqual(8000);
		}
	});
});
