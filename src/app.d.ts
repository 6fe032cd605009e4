// See https://svelte.dev/docs/kit/types#app.d.ts
declare global {
	namespace App {
		interface Error {
			message: string;
			/** Shown to the person and written to the log, so the two can be matched. */
			errorId?: string;
		}
		interface Locals {
			/** The signed-in staff member (authenticator code accepted), or null. */
			staff: import('$lib/server/auth/sessions').StaffUser | null;
			/** The staff session, verified or still waiting for the authenticator code. */
			staffSession: import('$lib/server/db/schema').Session | null;
			/** The signed-in participant (a person who referred themselves), or null. Never set on staff or API routes' behalf. */
			participant: import('$lib/server/auth/sessions').ParticipantUser | null;
			/** The language this request is answered in (src/lib/server/i18n.ts): always English for staff and the API. */
			locale: import('$lib/i18n/locales').Locale;
		}
		// interface PageData {}
		// interface PageState {}
		// interface Platform {}
	}
}

export {};
