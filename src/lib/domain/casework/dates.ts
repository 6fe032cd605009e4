/** Dates and times in UK time, as staff pages show them. Pure: no I/O. */
import { TZDate } from '@date-fns/tz';
import { format } from 'date-fns';
import { UK_TIME_ZONE } from '../working-days';

/** "5 December 2026 at 2:05pm", UK time. */
export function formatUkDateTime(instant: Date): string {
	return format(new TZDate(instant.getTime(), UK_TIME_ZONE), "d MMMM yyyy 'at' h:mmaaa");
}

/** "5 Dec 2026", UK time. */
export function formatUkShortDate(instant: Date): string {
	return format(new TZDate(instant.getTime(), UK_TIME_ZONE), 'd MMM yyyy');
}
