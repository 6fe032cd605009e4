/**
 * The form actions a route file exports, found on disk for tests that request every action (the role
 * matrix, the fuzzer): the names of an object of actions, or the ones `guardedActions(guard, LIST, run)`
 * makes (src/lib/http/guard.ts) from a list of names known here.
 */
import { AVAILABILITY_ACTIONS } from '../../../src/lib/domain/meetings/availability-forms';

/**
 * Lists of action names that route files give `guardedActions(guard, LIST, run)`, by the name they import.
 * A route using a list missing here throws (the test fails), so no action goes unrequested.
 */
const ACTION_LISTS: Record<string, readonly string[]> = { AVAILABILITY_ACTIONS };

/** The form actions of a +page.server.ts: an object of actions, or the ones `guardedActions` makes. */
export function actionNames(file: string, text: string): string[] {
	const made = /export const actions\b[^=]*=\s*guardedActions\(\s*\w+\s*,\s*(\w+)/.exec(text);
	if (made) {
		const list = ACTION_LISTS[made[1]];
		if (!list) throw new Error(`${file}: guardedActions with a list of action names the role matrix does not know (${made[1]}): add it to ACTION_LISTS`);
		return [...list];
	}
	const block = /export const actions[^{]*\{([\s\S]*)\};?\s*$/m.exec(text)?.[1] ?? '';
	return [...block.matchAll(/^\t(\w+)\s*:\s*async/gm)].map((m) => m[1]);
}

