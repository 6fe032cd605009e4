/**
 * After a missed meeting (DOMAIN.md section 5): a first attempt to reach the person within 24 hours, then
 * three more on different working days, at different times of day, rotating through the channels the
 * person allows. Every task is an attempt to make contact; nothing here ever closes a referral.
 */
import type { Meeting } from './meeting';
import { addDaysIso, ukClockReaches, ukDate, ukTime } from '../uk-time';
import { addWorkingDays, isWorkingDay, type WorkingDays } from '../working-days';

export const CHANNELS = ['phone', 'text', 'email'] as const;
export type Channel = (typeof CHANNELS)[number];

/** Times of day staff aim for; the early evening one reaches people who are at work in the day. */
export const TIMES_OF_DAY = [
	{ name: 'morning', time: '10:00' },
	{ name: 'afternoon', time: '14:00' },
	{ name: 'early evening', time: '17:30' }
] as const;

/** Working days after the first attempt on which the later attempts fall. */
const LATER_ATTEMPT_DAYS = [1, 3, 5];

export interface FollowUpTask {
	key: string;
	attempt: number;
	due: Date;
	channel: Channel | null;
	action: 'contact';
	title: string;
	note: string | null;
}

export interface FollowUpContext {
	/** When the meeting was marked as missed. */
	now: Date;
	/** Channels the person's contact preferences allow. */
	channels: Channel[];
	/** The programme's working days (its opening hours, bank holidays of its nation and closures), or a set of bank holidays. */
	workingDays: WorkingDays;
}

const DAY = 24 * 3_600_000;
const VERBS: Record<Channel, string> = { phone: 'Phone', text: 'Send a text to', email: 'Send an email to' };

export function followUpTasks(meeting: Pick<Meeting, 'id'>, context: FollowUpContext): FollowUpTask[] {
	const channels = CHANNELS.filter((c) => context.channels.includes(c));
	const first = firstDue(context);
	const firstBand = bandOf(first.due);
	const dues = [
		first.due,
		...LATER_ATTEMPT_DAYS.map((days, i) => {
			const band = TIMES_OF_DAY[(firstBand + 1 + i) % TIMES_OF_DAY.length];
			return ukClockReaches(addWorkingDays(ukDate(first.due), days, context.workingDays), band.time);
		})
	];
	const channelNote =
		channels.length === 0
			? 'This person has not told us a way to contact them: check the referral for how to reach them.'
			: channels.length === 1
				? `This person allows contact only by ${channels[0]}, so every attempt uses it.`
				: null;
	return dues.map((due, i) => {
		const channel = channels.length ? channels[i % channels.length] : null;
		const notes = [i === 0 ? first.note : null, channelNote].filter(Boolean);
		return {
			key: `missed-meeting:${meeting.id}:attempt-${i + 1}`,
			attempt: i + 1,
			due,
			channel,
			action: 'contact' as const,
			title: `${channel ? VERBS[channel] : 'Contact'} the person about their missed meeting (attempt ${i + 1} of ${dues.length})`,
			note: notes.length ? notes.join(' ') : null
		};
	});
}

/**
 * Within 24 hours: the last time of day on a working day that is after now and no more than 24 hours
 * away; failing that (a miss late on the last working day before a weekend), 24 hours on, with a note:
 * the 24 hours come before working days.
 */
function firstDue(context: FollowUpContext): { due: Date; note: string | null } {
	const now = context.now.getTime();
	const deadline = new Date(now + DAY);
	for (let date = ukDate(deadline); date >= ukDate(context.now); date = addDaysIso(date, -1)) {
		if (!isWorkingDay(date, context.workingDays)) continue;
		for (const band of [...TIMES_OF_DAY].reverse()) {
			const due = ukClockReaches(date, band.time).getTime();
			if (due > now && due <= deadline.getTime()) return { due: new Date(due), note: null };
		}
	}
	return { due: deadline, note: 'This is due outside working days so that the first attempt is within 24 hours.' };
}

/** Which time of day an instant falls in (index into TIMES_OF_DAY). */
function bandOf(instant: Date): number {
	const time = ukTime(instant);
	if (time < '12:00') return 0;
	if (time < '16:00') return 1;
	return 2;
}
