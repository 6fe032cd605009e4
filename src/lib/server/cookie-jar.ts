/**
 * The part of a request's cookies that server modules use. SvelteKit's `Cookies` fits it, so routes pass
 * `event.cookies` as they are, and server modules need nothing from SvelteKit.
 */
export interface CookieOptions {
	path: string;
	httpOnly?: boolean;
	secure?: boolean;
	sameSite?: 'lax' | 'strict' | 'none' | boolean;
	maxAge?: number;
	expires?: Date;
}

export interface CookieJar {
	get(name: string): string | undefined;
	set(name: string, value: string, options: CookieOptions): void;
	delete(name: string, options: CookieOptions): void;
}
