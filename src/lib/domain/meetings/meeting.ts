/** A booked meeting as the domain sees it. `version` goes up on every reschedule. */
import type { MeetingMode } from './modes';

export const MEETING_STATUSES = ['booked', 'cancelled', 'attended', 'missed'] as const;
export type MeetingStatus = (typeof MEETING_STATUSES)[number];

export interface Meeting {
	id: string;
	version: number;
	specialistId: string;
	start: Date;
	end: Date;
	status: MeetingStatus;
	mode: MeetingMode;
}

/** What free-slot search needs to know about meetings already in a diary. */
export type BookedTime = Pick<Meeting, 'specialistId' | 'start' | 'end' | 'status'>;

/** A cancelled meeting frees its time; every other meeting keeps it. */
export function holdsTime(status: MeetingStatus): boolean {
	return status !== 'cancelled';
}
