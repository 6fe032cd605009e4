/**
 * The action a form post names (`?/name`, the first search parameter starting with `/`, as SvelteKit reads
 * it), or null for the default action. SvelteKit looks the name up on the route's `actions` object, so a
 * name it inherits (`?/__proto__`, `?/valueOf`, `?/toString`) would be "called" (a 500, or a 200 with
 * nothing done), and `?/default` throws (500): those are refused here as "no such action" (404).
 * Other names it does not know SvelteKit answers 404 itself.
 */
export function actionNameOf(url: URL): string | null {
	for (const [name] of url.searchParams) if (name.startsWith('/')) return name.slice(1);
	return null;
}

/** Action names are camelCase words (see the `actions` of every +page.server.ts). */
const ACTION_NAME = /^[a-z][a-zA-Z0-9]*$/;

export function isRefusedActionName(name: string | null): boolean {
	if (name === null) return false;
	return !ACTION_NAME.test(name) || name === 'default' || name in Object.prototype;
}
