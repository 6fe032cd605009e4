/**
 * The one backoff of every leased queue (emails, webhooks, reminders): the ceiling doubles from `baseMs`
 * with each failed try up to `maxMs`, and the wait is drawn at random in the top `jitter` share of the
 * ceiling, never below `floorMs` (capped at the ceiling). Jobs that failed together thus come back spread out.
 */
export interface Backoff {
	/** The ceiling of the first retry. */
	baseMs: number;
	/** The largest ceiling. */
	maxMs: number;
	/** The share of the ceiling that is random: 0.5 is "equal jitter", 1 is "full jitter". */
	jitter: number;
	/** No wait is shorter than this (unless the ceiling is). */
	floorMs?: number;
}

/** The wait before the next try after `attempts` failed tries. */
export function backoffMs(attempts: number, policy: Backoff, random: () => number = Math.random): number {
	const ceiling = Math.min(policy.maxMs, policy.baseMs * 2 ** Math.min(40, Math.max(0, attempts - 1)));
	const floor = Math.min(ceiling, Math.max(policy.floorMs ?? 0, ceiling * (1 - policy.jitter)));
	return Math.round(floor + random() * (ceiling - floor));
}
