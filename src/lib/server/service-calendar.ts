/**
 * A programme's opening hours and closed days (programme.service, domain/service-hours.ts) with its
 * nation's bank holidays: read by booking, the crisis page and escalation, contact targets and the inbox;
 * saved from the admin page, where a save that closes a day with meetings already booked on it gives each
 * meeting's specialist a task to rearrange it.
 */
import { and, eq, gte } from 'drizzle-orm';
import { validateRaw, type RawValues } from '$lib/domain/fields';
import { dayLabel, timeLabel } from '$lib/domain/meetings/labels';
import { ukDate } from '$lib/domain/uk-time';
import {
	changedServiceKeys,
	readServiceSettings,
	serviceCalendar,
	serviceSettingsForm,
	type ServiceCalendar,
	type ServiceSettings
} from '$lib/domain/service-hours';
import { nationBankHolidays } from './bank-holidays';
import { getDb, type Db, type Tx } from './db';
import { meeting, programme, task } from './db/schema';
import { getServiceSettings, saveProgrammeSetting, type ProgrammeSettingResult } from './programmes';

/**
 * The calendar for settings, with bank holidays from the year before `around` (or from `earliest`, a date
 * further back, such as the oldest contact target on a page) to two years after it.
 */
export function calendarOf(settings: ServiceSettings, around: Date | string = new Date(), earliest?: string): ServiceCalendar {
	const year = Number((typeof around === 'string' ? around : ukDate(around)).slice(0, 4));
	const first = Math.max(year - 20, Math.min(year - 1, earliest ? Number(earliest.slice(0, 4)) : year));
	const years = Array.from({ length: year + 3 - first }, (_, i) => first + i);
	return serviceCalendar(settings, nationBankHolidays(settings.nation, ...years));
}

export interface CalendarOptions {
	/** A date further back than last year that the calendar must cover (the oldest contact target on a page). */
	earliest?: string;
	/** The transaction it is read in, if any (see getServiceSettings). */
	conn?: Db | Tx;
}

/** A programme's calendar (its defaults when it has none, or is not found), from the programmes kept in memory. */
export async function calendarFor(programmeId: string, around: Date | string = new Date(), options: CalendarOptions = {}): Promise<ServiceCalendar> {
	return calendarOf(await getServiceSettings(programmeId, options.conn), around, options.earliest);
}

/** The calendars of several programmes at once (the inbox), by id. */
export async function calendarsFor(programmeIds: string[], around: Date | string = new Date(), options: CalendarOptions = {}): Promise<Map<string, ServiceCalendar>> {
	const out = new Map<string, ServiceCalendar>();
	for (const id of new Set(programmeIds)) out.set(id, await calendarFor(id, around, options));
	return out;
}

/**
 * One task per booked meeting of the programme, from `now`, on a date the calendar closes: for the meeting's
 * specialist, due at once, keyed by meeting and date (so saving again never makes it twice).
 */
export async function tasksForMeetingsOnClosedDays(tx: Tx, programmeId: string, calendar: ServiceCalendar, now = new Date()): Promise<number> {
	const upcoming = await tx
		.select({ id: meeting.id, referralId: meeting.referralId, staffId: meeting.staffId, startsAt: meeting.startsAt })
		.from(meeting)
		.where(and(eq(meeting.programmeId, programmeId), eq(meeting.status, 'booked'), gte(meeting.startsAt, now)));
	const closed = upcoming.filter((m) => calendar.isClosedDate(ukDate(m.startsAt)));
	if (!closed.length) return 0;
	const inserted = await tx
		.insert(task)
		.values(
			closed.map((m) => {
				const date = ukDate(m.startsAt);
				return {
					key: `closed-day:${m.id}:${date}`,
					kind: 'closed-day',
					referralId: m.referralId,
					programmeId,
					meetingId: m.id,
					staffId: m.staffId,
					title: `Rearrange the meeting on ${dayLabel(date)} at ${timeLabel(m.startsAt)}: the service is closed that day`,
					note: `Closed: ${calendar.closedBecause(date) ?? 'closed'}. Contact the person to agree another time, then cancel or move this meeting.`,
					channel: null,
					dueAt: now
				};
			})
		)
		.onConflictDoNothing({ target: task.key })
		.returning({ id: task.id });
	return inserted.length;
}

export type ServiceSaveResult = ProgrammeSettingResult | { ok: false; raw: RawValues; errors: Record<string, string> };

/**
 * Saves the opening hours and safety settings from the admin form, as other programme settings are saved
 * (version, revisions, audit with `service.<key>`), and in the same transaction opens a task for every
 * meeting already booked on a day that is now closed.
 */
export async function saveServiceSettings(programmeId: string, raw: RawValues, actorId: string, now = new Date()): Promise<ServiceSaveResult> {
	const parsed = validateRaw(serviceSettingsForm, raw);
	if (!parsed.ok) return parsed;
	const { version: expectedVersion, settings } = parsed.values;
	return saveProgrammeSetting({
		programmeId,
		column: 'service',
		value: settings,
		expectedVersion,
		raw,
		actorId,
		changed: (row) => changedServiceKeys(readServiceSettings(row.service), settings),
		afterSave: async (tx) => {
			await tasksForMeetingsOnClosedDays(tx, programmeId, calendarOf(settings, now), now);
		}
	});
}

/** The admin page: the programme's name, version and settings. */
export async function serviceSettingsPage(programmeId: string) {
	const db = await getDb();
	const [row] = await db
		.select({ id: programme.id, name: programme.name, version: programme.version, service: programme.service })
		.from(programme)
		.where(eq(programme.id, programmeId));
	if (!row) return null;
	return { id: row.id, name: row.name, version: row.version, custom: row.service !== null, settings: readServiceSettings(row.service) };
}
