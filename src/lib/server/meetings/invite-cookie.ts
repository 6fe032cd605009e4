/**
 * The optional invitee's email address while a booking is in progress: kept in an HttpOnly cookie of the
 * participant's own browser (not in the address, so it never reaches logs or the Referer header), and
 * checked again with the form's schema when the booking is confirmed.
 */
import type { CookieJar } from '../cookie-jar';
import { validateRaw } from '$lib/domain/fields';
import { inviteQuestion } from '$lib/domain/meetings/booking-forms';

const COOKIE = 'ips_booking_invite';

export function readInvite(cookies: CookieJar): string | null {
	const raw = cookies.get(COOKIE);
	if (!raw) return null;
	const parsed = validateRaw(inviteQuestion, { invite: raw.slice(0, 300) });
	return parsed.ok ? parsed.values.invite : null;
}

export function setInvite(cookies: CookieJar, email: string | null): void {
	if (email) cookies.set(COOKIE, email, { path: '/account', httpOnly: true, sameSite: 'lax' });
	else cookies.delete(COOKIE, { path: '/account' });
}
