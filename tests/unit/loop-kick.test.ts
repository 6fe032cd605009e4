/**
 * The background loop's kick (jobs/runner.ts), which wakeWorker uses so a sign-in code goes at once: a
 * kick runs a pass now instead of at the next tick, and a kick that comes while a pass is running runs
 * another pass as soon as that one ends (the job it was for may have been committed after the pass
 * looked). Without a kick the loop waits its interval.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { onWake, wakeWorker } from '../../src/lib/server/jobs/worker';
import { startLoop, type BackgroundLoop } from '../../src/lib/server/jobs/runner';

const HOUR = 3_600_000;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

let loop: BackgroundLoop | undefined;
afterEach(async () => {
	await loop?.stop();
	loop = undefined;
});

describe('kicking a background loop', () => {
	it('runs a pass at once instead of at the next tick', async () => {
		let passes = 0;
		loop = startLoop('test', HOUR, async () => ({ passes: ++passes }), HOUR);
		await sleep(50);
		expect(passes).toBe(0);
		loop.kick();
		await sleep(50);
		expect(passes).toBe(1);
	});

	it('runs another pass right after the one in progress when kicked during it', async () => {
		let passes = 0;
		let release: () => void = () => {};
		loop = startLoop(
			'test',
			HOUR,
			async () => {
				passes++;
				if (passes === 1) await new Promise<void>((resolve) => (release = resolve));
				return { passes };
			},
			0
		);
		await sleep(50);
		expect(passes).toBe(1);
		loop.kick();
		await sleep(50);
		expect(passes).toBe(1);
		release();
		await sleep(50);
		expect(passes).toBe(2);
		// Only one kick: no third pass before the interval.
		await sleep(50);
		expect(passes).toBe(2);
	});

	it('is what wakeWorker does to every loop registered with onWake, until it is unregistered', async () => {
		let passes = 0;
		loop = startLoop('test', HOUR, async () => ({ passes: ++passes }), HOUR);
		const unregister = onWake(loop.kick);
		wakeWorker();
		await sleep(50);
		expect(passes).toBe(1);
		unregister();
		wakeWorker();
		await sleep(50);
		expect(passes).toBe(1);
	});
});
