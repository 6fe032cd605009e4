/**
 * Background loops that run beside the web server in every instance (notifier, webhooks, housekeeping).
 * All their state is in the database, so instances share the work and a restart loses nothing. A loop runs
 * one pass at a time, waits `intervalMs` between passes, never keeps the process alive by itself, and
 * `stop()` aborts the signal and waits for the pass in progress.
 */
import { isDatabaseUnavailable } from '../db/faults';
import { describeError, log } from '../log';
import { backoffMs } from './backoff';

/** While the database cannot be reached, a loop tries again after about 1, 2, 4... seconds, up to 30. */
const PAUSED_BACKOFF = { baseMs: 1000, maxMs: 30_000, jitter: 0.5 };

export interface BackgroundLoop {
	/** Runs a pass now instead of at the next tick (right after the pass in progress, if there is one). */
	kick: () => void;
	/** Stops the timer, aborts the signal given to the pass and waits for it to finish. */
	stop: () => Promise<void>;
}


/**
 * Starts a loop. `pass` returns counts for the debug log (logged when any is non-zero).
 * `firstDelayMs` is the wait before the first pass.
 */
export function startLoop(
	name: string,
	intervalMs: number,
	pass: (signal: AbortSignal) => Promise<object>,
	firstDelayMs = 0
): BackgroundLoop {
	const stopping = new AbortController();
	let timer: ReturnType<typeof setTimeout> | undefined;
	let running: Promise<void> | undefined;
	/** A kick came while a pass was running: the next pass starts as soon as that one ends. */
	let kicked = false;

	const schedule = (ms: number) => {
		clearTimeout(timer);
		timer = setTimeout(run, ms);
		timer.unref();
	};
	/** Passes failed in a row because the database could not be reached (the loop is paused meanwhile). */
	let pausedPasses = 0;
	const run = () => {
		if (running || stopping.signal.aborted) return;
		kicked = false;
		running = pass(stopping.signal)
			.then(
				(counts) => {
					if (pausedPasses) log.info(`${name} resumed: the database answers again`, { pausedPasses });
					pausedPasses = 0;
					if (Object.values(counts).some((v) => typeof v === 'number' && v > 0)) log.debug(`${name} pass`, { ...counts });
				},
				(error) => {
					if (!isDatabaseUnavailable(error)) return log.error(`${name} pass failed; trying again at the next tick`, { error: describeError(error) });
					// Its work waits in the database (cursors, leased rows): nothing is lost, and leases keep it from
					// being done twice. Said once, then tried again less and less often.
					if (!pausedPasses) log.warn(`${name} paused: the database cannot be reached`, { error: describeError(error) });
					pausedPasses++;
				}
			)
			.finally(() => {
				running = undefined;
				if (!stopping.signal.aborted)
					schedule(pausedPasses ? Math.max(intervalMs, backoffMs(pausedPasses, PAUSED_BACKOFF)) : kicked ? 0 : intervalMs);
			});
	};
	schedule(firstDelayMs);
	log.info(`${name} started`, { intervalMs });

	return {
		kick: () => {
			if (stopping.signal.aborted) return;
			if (running) kicked = true;
			else schedule(0);
		},
		stop: async () => {
			stopping.abort();
			clearTimeout(timer);
			await running;
			log.info(`${name} stopped`);
		}
	};
}
