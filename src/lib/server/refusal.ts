/**
 * The one way a server function refuses a request: it throws a `Refusal` (403 or 404, with a fixed message
 * safe to show), never SvelteKit's `error()` (src/lib/server knows nothing of HTTP). A route turns it into
 * the HTTP answer with `orRefuse` (src/lib/http/refusal.ts); tests/unit/refusal-layering.test.ts fails when
 * a route calls a refusing server function without it. Anything else thrown stays a 500.
 */
import type { StaffUser } from './auth/sessions';

export type RefusalStatus = 403 | 404;

export class Refusal extends Error {
	readonly status: RefusalStatus;
	constructor(status: RefusalStatus, message: string) {
		super(message);
		this.name = 'Refusal';
		this.status = status;
	}
}

/** 404 "Not found": the thing does not exist, or the user may not know that it does. */
export function notFound(): never {
	throw new Refusal(404, 'Not found');
}

/** 403 with a fixed message saying what the user may not do (never anything they typed). */
export function forbidden(message: string): never {
	throw new Refusal(403, message);
}

/** Refuses (404, so existence is not revealed) a programme the user does not belong to. */
export function assertProgramme(user: Pick<StaffUser, 'programmeIds'>, programmeId: string): void {
	if (!user.programmeIds.includes(programmeId)) notFound();
}
