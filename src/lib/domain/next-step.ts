/**
 * The one next step a participant's home page (/account) shows first: what matters most now, from what
 * the page knows. In order: book a meeting when none is booked (and the referral can still book), else the
 * first check-in to do now, else the next meeting. Everything else the page lists below, without repeating
 * the link the step uses.
 */

export interface NextStepCheckIn {
	pointId: string;
	instrument: string;
	href: string;
	/** "How things are going (DIALOG+), Start check-in" */
	title: string;
	status: 'due' | 'overdue' | 'waiting' | 'upcoming';
	/** "Due by 12 June 2027" */
	when: string;
}

export interface NextStepFacts {
	/** The referral is open, so the person can book. */
	canBook: boolean;
	/** The person has had (or booked) a meeting before, cancelled ones aside. */
	hadMeetings: boolean;
	/** Their next booked meeting, if any. */
	nextMeeting: { id: string; when: string } | null;
	/** The home page's check-ins (due.ts), those to do now first. */
	checkIns: readonly NextStepCheckIn[];
}

export type NextStep =
	| { kind: 'book'; href: string; label: string; first: boolean }
	| { kind: 'check-in'; href: string; label: string; checkIn: NextStepCheckIn }
	| { kind: 'meeting'; href: string; label: string; when: string };

export const BOOK_HREF = '/account/book';

/** The check-ins that can be done now (due or overdue), in the order given. */
export function checkInsToDo<T extends Pick<NextStepCheckIn, 'status'>>(checkIns: readonly T[]): T[] {
	return checkIns.filter((c) => c.status === 'due' || c.status === 'overdue');
}

/** The one next step, or null when there is nothing to do (a closed referral with no meeting). */
export function nextStep(facts: NextStepFacts): NextStep | null {
	if (!facts.nextMeeting && facts.canBook) {
		return { kind: 'book', href: BOOK_HREF, label: facts.hadMeetings ? 'Book a meeting' : 'Book your first meeting', first: !facts.hadMeetings };
	}
	const [checkIn] = checkInsToDo(facts.checkIns);
	if (checkIn) return { kind: 'check-in', href: checkIn.href, label: checkIn.title, checkIn };
	if (facts.nextMeeting) {
		return { kind: 'meeting', href: `/account/meetings/${facts.nextMeeting.id}`, label: 'See your next meeting', when: facts.nextMeeting.when };
	}
	return null;
}

/** Whether a check-in is the one the next step already links to (so the list below leaves it out). */
export function isStepCheckIn(step: NextStep | null, c: Pick<NextStepCheckIn, 'pointId' | 'instrument'>): boolean {
	return step?.kind === 'check-in' && step.checkIn.pointId === c.pointId && step.checkIn.instrument === c.instrument;
}

/**
 * Whether the page offers DIALOG+ "at any time" among the other things to do: not while a scheduled DIALOG+
 * check-in is on the page to do (it has the same link) or waiting its turn (it would jump the queue).
 */
export function offerDialogAnyTime(checkIns: readonly Pick<NextStepCheckIn, 'instrument' | 'status'>[]): boolean {
	return !checkIns.some((c) => c.instrument === 'dialog' && c.status !== 'upcoming');
}
