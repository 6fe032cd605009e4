/** The inbox: working days left to the contact target, the inbox order and caseload words. Pure: no I/O. */
import { workingDaysBetween, type WorkingDays } from '../working-days';
import { awaitsContact } from './statuses';

/**
 * Working days from `today` to the contact target: 0 on the day itself, negative once it has passed.
 * A target that has passed is at least one working day late, even on the weekend straight after it.
 */
export function workingDaysLeft(todayIso: string, targetIso: string, workingDays: WorkingDays): number {
	const days = workingDaysBetween(todayIso, targetIso, workingDays);
	return targetIso < todayIso ? Math.min(days, -1) : days;
}

/** Null once someone has made contact (a booked first meeting may count): the target no longer applies. */
export function contactDaysLeft(
	referral: { status: string; firstContactAt: Date | null; contactTargetDate: string },
	todayIso: string,
	workingDays: WorkingDays
): number | null {
	if (!awaitsContact(referral)) return null;
	return workingDaysLeft(todayIso, referral.contactTargetDate, workingDays);
}

/** "1 working day", "3 working days" */
export function workingDaysText(n: number): string {
	return `${n} working day${n === 1 ? '' : 's'}`;
}

/** "Overdue by 2 working days", "Due today", "1 working day left"; null when contact was made. */
export function describeDaysLeft(daysLeft: number | null): string | null {
	if (daysLeft === null) return null;
	if (daysLeft < 0) return `Overdue by ${workingDaysText(-daysLeft)}`;
	if (daysLeft === 0) return 'Due today';
	return `${workingDaysText(daysLeft)} left`;
}

export interface InboxOrderKey {
	daysLeft: number | null;
	contactTargetDate: string;
	submittedAt: Date;
	reference: string;
}

/**
 * The inbox order (the database sorts the same way, a page at a time): overdue first, then the rest still
 * awaiting contact, earliest contact date first (so most overdue, then fewest working days left); then
 * referrals whose contact was made; oldest first within each.
 */
export function compareInbox(a: InboxOrderKey, b: InboxOrderKey): number {
	const rank = (k: InboxOrderKey) => (k.daysLeft === null ? 2 : k.daysLeft < 0 ? 0 : 1);
	const target = (k: InboxOrderKey) => (k.daysLeft === null ? '' : k.contactTargetDate);
	return (
		rank(a) - rank(b) ||
		target(a).localeCompare(target(b)) ||
		a.submittedAt.getTime() - b.submittedAt.getTime() ||
		a.reference.localeCompare(b.reference)
	);
}

// ---- caseload ------------------------------------------------------------------------------------

/** Words for a specialist's caseload against the programme's cap. */
export function describeCaseload(open: number, cap: number): { text: string; overCap: boolean } {
	const held = `${open} open referral${open === 1 ? '' : 's'}`;
	if (open > cap) return { text: `${held}: over the cap of ${cap} by ${open - cap}`, overCap: true };
	if (open === cap) return { text: `${held}: at the cap of ${cap}`, overCap: false };
	return { text: `${held} (cap ${cap})`, overCap: false };
}
