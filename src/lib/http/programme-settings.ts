/**
 * The request boundary of a programme's settings pages (booking, measures, opening hours): one way to read
 * the page, report a save and answer a failed one. The server modules return plain results; this maps
 * them to SvelteKit's 404, 400/409 and 303.
 */
import { error, fail, redirect } from '@sveltejs/kit';

export interface SettingsFound<S> {
	id: string;
	name: string;
	version: number;
	custom: boolean;
	settings: S;
}

/** The `?saved=` a save redirects with: a version, 'none' when nothing changed, or null. */
export function savedParam(url: URL): number | 'none' | null {
	const saved = url.searchParams.get('saved');
	return saved === 'none' ? 'none' : saved && /^\d{1,9}$/.test(saved) ? Number(saved) : null;
}

/** The page's data (with what `extra` adds from the settings), or a 404 when the programme does not exist. */
export function settingsPageData<S, V, E extends object = object>(
	found: SettingsFound<S> | null,
	url: URL,
	values: (settings: S, version: number) => V,
	extra: (settings: S) => E = () => ({}) as E
) {
	if (!found) error(404, 'Not found');
	const { id, name, version, custom, settings } = found;
	return { id, name, version, custom, ...extra(settings), values: values(settings, version), saved: savedParam(url) };
}

type SaveResult<R> = { ok: true; changed: unknown[]; version: number } | ({ ok: false; notFound: true }) | ({ ok: false; raw: R; errors: Record<string, string> });

/** After a save: back to the page with `?saved=`, or the form again with its errors (409 when someone else saved first). */
export function settingsSaved<R, E extends object = object>(result: SaveResult<R>, page: string, extra: E = {} as E) {
	if (!result.ok && 'notFound' in result) error(404, 'Not found');
	if (!result.ok) return fail(result.errors.version ? 409 : 400, { values: result.raw, errors: result.errors, ...extra });
	redirect(303, `${page}?saved=${result.changed.length ? result.version : 'none'}`);
}
