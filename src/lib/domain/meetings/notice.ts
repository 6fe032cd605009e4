/** Whether a person may still change or cancel a meeting online, or must call instead. */
import type { Meeting } from './meeting';
import type { BookingSettings } from './settings';

export type ChangeDecision = { ok: true } | { ok: false; reason: 'too-late' | 'past' | 'cancelled' };

export function canChange(meeting: Pick<Meeting, 'start' | 'status'>, settings: BookingSettings, now: Date): ChangeDecision {
	if (meeting.status === 'cancelled') return { ok: false, reason: 'cancelled' };
	if (meeting.status !== 'booked' || meeting.start.getTime() <= now.getTime()) return { ok: false, reason: 'past' };
	if (meeting.start.getTime() - now.getTime() < settings.changeNoticeHours * 3_600_000) return { ok: false, reason: 'too-late' };
	return { ok: true };
}
