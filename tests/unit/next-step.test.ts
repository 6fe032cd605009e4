/** The home page's one next step (domain/next-step.ts): book, else a check-in to do now, else the next meeting. */
import { describe, expect, it } from 'vitest';
import { isStepCheckIn, nextStep, offerDialogAnyTime, type NextStepCheckIn, type NextStepFacts } from '../../src/lib/domain/next-step';

const item = (instrument: string, status: NextStepCheckIn['status'], pointId = 'start'): NextStepCheckIn => ({
	pointId,
	instrument,
	href: instrument === 'dialog' ? '/account/check-in/dialog' : `/account/check-in/${instrument}`,
	title: `${instrument}, ${pointId} check-in`,
	status,
	when: status === 'upcoming' ? 'You can do it from 19 May 2031' : 'Due by 16 March 2031'
});
const meeting = { id: 'm-1', when: 'Tuesday 8 December 2026, 10:00am to 10:45am (UK time)' };
const facts = (over: Partial<NextStepFacts>): NextStepFacts => ({ canBook: true, hadMeetings: false, nextMeeting: null, checkIns: [], ...over });

describe('the next step', () => {
	it('is booking the first meeting when none is booked, before any check-in', () => {
		expect(nextStep(facts({ checkIns: [item('dialog', 'due')] }))).toEqual({ kind: 'book', href: '/account/book', label: 'Book your first meeting', first: true });
	});

	it('says "Book a meeting" to someone who has had meetings', () => {
		expect(nextStep(facts({ hadMeetings: true }))).toMatchObject({ kind: 'book', label: 'Book a meeting', first: false });
	});

	it('is the first check-in to do now once a meeting is booked, overdue ones included', () => {
		const checkIns = [item('dialog', 'overdue'), item('swemwbs', 'due'), item('ons4', 'waiting')];
		const step = nextStep(facts({ nextMeeting: meeting, checkIns }));
		expect(step).toEqual({ kind: 'check-in', href: '/account/check-in/dialog', label: 'dialog, start check-in', checkIn: checkIns[0] });
		expect(checkIns.map((c) => isStepCheckIn(step, c))).toEqual([true, false, false]);
	});

	it('never offers a waiting or upcoming check-in as the step', () => {
		const checkIns = [item('ons4', 'waiting'), item('dialog', 'upcoming', '3-months')];
		expect(nextStep(facts({ nextMeeting: meeting, checkIns }))).toEqual({
			kind: 'meeting',
			href: '/account/meetings/m-1',
			label: 'See your next meeting',
			when: meeting.when
		});
	});

	it('is a check-in when the referral cannot book and nothing is booked, and nothing when there is nothing to do', () => {
		expect(nextStep(facts({ canBook: false, checkIns: [item('phq9', 'due')] }))).toMatchObject({ kind: 'check-in', href: '/account/check-in/phq9' });
		expect(nextStep(facts({ canBook: false }))).toBeNull();
		expect(isStepCheckIn(null, item('dialog', 'due'))).toBe(false);
	});
});

describe('DIALOG+ at any time', () => {
	it('is offered unless a scheduled DIALOG+ check-in is on the page to do or waiting its turn', () => {
		expect(offerDialogAnyTime([])).toBe(true);
		expect(offerDialogAnyTime([item('dialog', 'upcoming', '3-months'), item('swemwbs', 'due')])).toBe(true);
		expect(offerDialogAnyTime([item('dialog', 'due')])).toBe(false);
		expect(offerDialogAnyTime([item('dialog', 'overdue')])).toBe(false);
		expect(offerDialogAnyTime([item('dialog', 'waiting')])).toBe(false);
	});
});
