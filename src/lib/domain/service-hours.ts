/**
 * A programme's opening hours, closed days and safety contacts: one setting that booking (no free times on
 * a closed date), the crisis page ("They will see this when they open on Monday 7 December at 9am"), the
 * crisis escalation (counted in opening hours) and contact targets (working days are open days) all read.
 * Pure: no I/O. Bank holidays come in as a map of ISO date to name (server/bank-holidays.ts, per nation).
 */
import { z } from 'zod';
import { email, isDeliverableAddress, text, yesNoField, type Field, type FormDefinition, type RawValues } from './fields';
import { addDaysIso, formatDate, isoWeekday, isWallTime, minutesOf, parseUkDate, ukClockReaches, ukDate } from './uk-time';
import { dayLabel } from './meetings/labels';

export const NATIONS = {
	'england-wales': 'England and Wales',
	scotland: 'Scotland',
	'northern-ireland': 'Northern Ireland'
} as const;
export type Nation = keyof typeof NATIONS;
export const NATION_CODES = Object.keys(NATIONS) as Nation[];

/** Opening hours on one weekday (1 Monday to 7 Sunday), UK wall-clock 'HH:mm'. A weekday not listed is closed. */
export interface DayHours {
	weekday: number;
	open: string;
	close: string;
}

/** Dates the service is closed besides bank holidays (both included), with what they are. */
export interface Closure {
	from: string;
	to: string;
	label: string | null;
}

export interface ServiceSettings {
	/** Whose bank holidays close the service. */
	nation: Nation;
	openingHours: DayHours[];
	closures: Closure[];
	/** Team leads and a duty inbox: emailed at once about a crisis answer, and again if nobody acknowledges it. */
	safetyContacts: string[];
	/** Opening hours within which someone must acknowledge a crisis answer before it is sent again. */
	crisisAcknowledgeHours: number;
	/** Booking the first meeting counts as the first contact for the contact target. */
	bookingCountsAsContact: boolean;
}

export const WEEKDAY_NAMES = ['Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday', 'Sunday'] as const;

export const DEFAULT_SERVICE_SETTINGS: Readonly<ServiceSettings> = Object.freeze({
	nation: 'england-wales' as Nation,
	openingHours: [1, 2, 3, 4, 5].map((weekday) => Object.freeze({ weekday, open: '09:00', close: '17:00' })),
	closures: [],
	safetyContacts: [],
	crisisAcknowledgeHours: 4,
	bookingCountsAsContact: true
});

const wall = z.string().refine(isWallTime, 'A time in 24-hour format, like 09:00');
const isoDate = z.iso.date();

/** The stored setting (programme.service) and the seed file's. */
export const serviceSettingsSchema = z
	.object({
		nation: z.enum(NATION_CODES as [Nation, ...Nation[]]),
		openingHours: z
			.array(z.object({ weekday: z.number().int().min(1).max(7), open: wall, close: wall }))
			.max(7)
			.refine((days) => new Set(days.map((d) => d.weekday)).size === days.length, 'One opening time a weekday')
			.refine((days) => days.every((d) => minutesOf(d.close) > minutesOf(d.open)), 'Closing comes after opening'),
		closures: z.array(z.object({ from: isoDate, to: isoDate, label: z.string().max(100).nullable() })).max(200),
		safetyContacts: z.array(z.string().refine(isDeliverableAddress, 'An email address')).max(20),
		crisisAcknowledgeHours: z.number().int().min(1).max(80),
		bookingCountsAsContact: z.boolean()
	})
	.strict();

/** The stored setting, with the defaults for anything missing or unreadable (null: never set). */
export function readServiceSettings(stored: unknown): ServiceSettings {
	if (!stored || typeof stored !== 'object') return { ...DEFAULT_SERVICE_SETTINGS };
	const merged = { ...DEFAULT_SERVICE_SETTINGS, ...(stored as Record<string, unknown>) };
	const parsed = serviceSettingsSchema.safeParse(merged);
	return parsed.success ? parsed.data : { ...DEFAULT_SERVICE_SETTINGS };
}

// ---- the calendar ---------------------------------------------------------------------------------

export interface ServiceCalendar {
	settings: ServiceSettings;
	/** A bank holiday of the programme's nation or a closure an admin set: no free times, no working day. */
	isClosedDate(date: string): boolean;
	/** What closes the date, in words ("Christmas Day", "Staff training"), or null. */
	closedBecause(date: string): string | null;
	/** The opening hours of a date, or null when the service is closed all day. */
	hoursOn(date: string): { open: string; close: string } | null;
}

/** The calendar of a programme: its settings and its nation's bank holidays (ISO date to name). */
export function serviceCalendar(settings: ServiceSettings, bankHolidays: ReadonlyMap<string, string>): ServiceCalendar {
	const closureOn = (date: string) => settings.closures.find((c) => c.from <= date && date <= c.to) ?? null;
	const calendar: ServiceCalendar = {
		settings,
		isClosedDate: (date) => bankHolidays.has(date) || closureOn(date) !== null,
		closedBecause: (date) => {
			const holiday = bankHolidays.get(date);
			if (holiday) return `${holiday} (bank holiday)`;
			const closure = closureOn(date);
			return closure ? (closure.label ?? 'Closed') : null;
		},
		hoursOn: (date) => {
			if (calendar.isClosedDate(date)) return null;
			const day = settings.openingHours.find((h) => h.weekday === isoWeekday(date));
			return day ? { open: day.open, close: day.close } : null;
		}
	};
	return calendar;
}

/** A working day, for contact targets: a day with opening hours that is not closed. */
export function isWorkingDay(calendar: ServiceCalendar, date: string): boolean {
	return calendar.hoursOn(date) !== null;
}

/** The calendar's working days, for domain/working-days.ts. */
export function workingDaysOf(calendar: ServiceCalendar): (date: string) => boolean {
	return (date) => isWorkingDay(calendar, date);
}

/** When the service opens and closes on a UK date, as instants; null when it is closed all day. */
export function openingOn(calendar: ServiceCalendar, date: string): { start: Date; end: Date } | null {
	const hours = calendar.hoursOn(date);
	if (!hours) return null;
	return { start: ukClockReaches(date, hours.open), end: ukClockReaches(date, hours.close) };
}

/** How far ahead to look for an opening before giving up (a service closed for good). */
const LOOK_AHEAD_DAYS = 400;

/** Whether the team is open at `now`: until when, or when it next opens (null if it never does in a year). */
export function teamAvailability(calendar: ServiceCalendar, now: Date): { open: true; closesAt: Date } | { open: false; opensAt: Date | null } {
	let date = ukDate(now);
	for (let i = 0; i < LOOK_AHEAD_DAYS; i++, date = addDaysIso(date, 1)) {
		const window = openingOn(calendar, date);
		if (!window || window.end <= now) continue;
		if (window.start <= now) return { open: true, closesAt: window.end };
		return { open: false, opensAt: window.start };
	}
	return { open: false, opensAt: null };
}

/**
 * The instant `hours` of opening time after `from`: time while the service is closed does not count. A
 * crisis answer on Sunday at 07:16 with 4 hours and Monday's hours 9am to 5pm gives Monday at 1pm.
 */
export function addOpeningHours(calendar: ServiceCalendar, from: Date, hours: number): Date {
	let left = hours * 3_600_000;
	let date = ukDate(from);
	for (let i = 0; i < LOOK_AHEAD_DAYS; i++, date = addDaysIso(date, 1)) {
		const window = openingOn(calendar, date);
		if (!window || window.end <= from) continue;
		const start = Math.max(window.start.getTime(), from.getTime());
		const available = window.end.getTime() - start;
		if (left <= available) return new Date(start + left);
		left -= available;
	}
	// Never open: the due time is simply that many hours later, so nothing waits for ever.
	return new Date(from.getTime() + hours * 3_600_000);
}

/** "9am", "9:30am", "12pm", "5pm": a time for sentences. */
export function shortTimeWords(time: string): string {
	const minutes = minutesOf(time);
	const h = Math.floor(minutes / 60);
	const m = minutes % 60;
	return `${h % 12 === 0 ? 12 : h % 12}${m ? `:${String(m).padStart(2, '0')}` : ''}${h < 12 ? 'am' : 'pm'}`;
}

/** "Monday 7 December at 9am" for an instant (UK time). */
export function openingWords(instant: Date): string {
	const date = ukDate(instant);
	const time = new Intl.DateTimeFormat('en-GB', { timeZone: 'Europe/London', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }).format(instant);
	return `${dayLabel(date)} at ${shortTimeWords(time)}`;
}

/**
 * What the person is told about when the team will see a message sent now: never "soon".
 * "Our team is closed now. They will see this when they open on Monday 7 December at 9am."
 */
export function whenTeamSeesIt(calendar: ServiceCalendar, now: Date): string {
	const availability = teamAvailability(calendar, now);
	if (availability.open) {
		const closes = new Intl.DateTimeFormat('en-GB', { timeZone: 'Europe/London', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }).format(availability.closesAt);
		return `Our team is open now, until ${shortTimeWords(closes)} today. They have been told and will see this today.`;
	}
	if (!availability.opensAt) return 'Our team is closed now. Please use the urgent help above.';
	return `Our team is closed now. They will see this when they open on ${openingWords(availability.opensAt)}.`;
}

/** The weekly hours in words: "Monday to Friday, 9am to 5pm" or one line a day when they differ. */
export function openingHoursWords(settings: ServiceSettings): string[] {
	const days = [...settings.openingHours].sort((a, b) => a.weekday - b.weekday);
	if (!days.length) return ['Closed every day'];
	const same = days.every((d) => d.open === days[0].open && d.close === days[0].close);
	const consecutive = days.every((d, i) => i === 0 || d.weekday === days[i - 1].weekday + 1);
	const hours = (d: DayHours) => `${shortTimeWords(d.open)} to ${shortTimeWords(d.close)}`;
	if (same && consecutive && days.length > 1) return [`${WEEKDAY_NAMES[days[0].weekday - 1]} to ${WEEKDAY_NAMES[days.at(-1)!.weekday - 1]}, ${hours(days[0])}`];
	return days.map((d) => `${WEEKDAY_NAMES[d.weekday - 1]}, ${hours(d)}`);
}

/** "24 December 2026 to 2 January 2027: Christmas closure" */
export function closureWords(c: Closure): string {
	const when = c.from === c.to ? formatDate(c.from) : `${formatDate(c.from)} to ${formatDate(c.to)}`;
	return c.label ? `${when}: ${c.label}` : when;
}

// ---- the admin form -------------------------------------------------------------------------------

const openName = (weekday: number) => `open${weekday}`;
const closeName = (weekday: number) => `close${weekday}`;

const timeField = (name: string, label: string): Field => ({ kind: 'text', name, label, width: 'short', spellcheck: false });

/** Two boxes a weekday, drawn in a fieldset whose legend is the day's name (so "Opens" is read as "Monday, Opens"). */
export const WEEKDAY_FIELDS: { weekday: number; name: string; fields: Field[] }[] = WEEKDAY_NAMES.map((name, i) => ({
	weekday: i + 1,
	name,
	fields: [timeField(openName(i + 1), 'Opens'), timeField(closeName(i + 1), 'Closes')]
}));

const CLOSURE_LINE = /^(\S+)(?:\s+to\s+(\S+))?(?:\s+(.*))?$/i;

/** One closure a line: "24/12/2026 to 2/1/2027 Christmas closure" or "15/2/2027 Staff training". */
export function parseClosures(value: string): { ok: true; closures: Closure[] } | { ok: false; message: string } {
	const closures: Closure[] = [];
	const lines = value.split(/\r?\n/).map((l) => l.trim());
	if (lines.filter(Boolean).length > 200) return { ok: false, message: 'Enter 200 closures or fewer' };
	for (const [i, line] of lines.entries()) {
		if (!line) continue;
		const match = CLOSURE_LINE.exec(line);
		const from = match ? parseUkDate(match[1]) : null;
		const to = match?.[2] ? parseUkDate(match[2]) : from;
		if (!match || !from || !to) return { ok: false, message: `Line ${i + 1}: start with a date, like 24/12/2026, or two dates with "to" between them, like 24/12/2026 to 2/1/2027` };
		if (to < from) return { ok: false, message: `Line ${i + 1}: the last closed day must be the same as or after the first` };
		const label = match[3]?.trim() || null;
		if (label && label.length > 100) return { ok: false, message: `Line ${i + 1}: the description must be 100 characters or fewer` };
		closures.push({ from, to, label });
	}
	return { ok: true, closures: closures.sort((a, b) => a.from.localeCompare(b.from)) };
}

const wholeHours = text()
	.trim()
	.min(1, 'Enter how many opening hours staff have to acknowledge a crisis answer')
	.refine((v) => /^\d+$/.test(v), 'Hours to acknowledge a crisis answer must be a whole number, like 4')
	.transform(Number)
	.refine((n) => n >= 1 && n <= 80, 'Hours to acknowledge a crisis answer must be between 1 and 80');

const optionalTime = (message: string) =>
	text()
		.trim()
		.transform((v) => (/^\d:\d{2}$/.test(v) ? `0${v}` : v))
		.refine((v) => v === '' || isWallTime(v), message);

const daySchema = Object.fromEntries(
	WEEKDAY_NAMES.flatMap((name, i) => [
		[openName(i + 1), optionalTime(`${name}'s opening time must be a time in 24-hour format, like 09:00`)],
		[closeName(i + 1), optionalTime(`${name}'s closing time must be a time in 24-hour format, like 17:00`)]
	])
) as Record<string, ReturnType<typeof optionalTime>>;

export const serviceSettingsForm = {
	fields: [
		{ kind: 'hidden', name: 'version' },
		{
			kind: 'radios',
			name: 'nation',
			label: 'Whose bank holidays close the service',
			hint: 'Nobody can book a meeting on a bank holiday, and bank holidays are not working days for contact targets or crisis answers.',
			options: NATION_CODES.map((value) => ({ value, label: NATIONS[value] }))
		},
		...WEEKDAY_FIELDS.flatMap((d) => d.fields),
		{
			kind: 'textarea',
			name: 'closures',
			label: 'Other days the service is closed',
			hint: 'One a line: a date, or two dates with "to" between them, then what it is. For example: 24/12/2026 to 2/1/2027 Christmas closure. Nobody can book a meeting on these days; specialists are given a task for any meeting already booked on one.',
			rows: 5
		},
		{
			kind: 'textarea',
			name: 'safetyContacts',
			label: 'Safety contacts',
			hint: 'Email addresses of team leads and the duty inbox, one a line. When someone gives a crisis answer in a check-in, these and their specialist are emailed at once. With none, the team email address is used.',
			rows: 3
		},
		{
			kind: 'text',
			name: 'crisisAcknowledgeHours',
			label: 'Opening hours to acknowledge a crisis answer',
			hint: 'If nobody acknowledges it in this many opening hours, the safety contacts and the programme’s administrators are emailed again and the inbox shows it as overdue. Usually 4.',
			width: 'short',
			inputmode: 'numeric',
			spellcheck: false,
			suffix: 'hours'
		},
		yesNoField('bookingCountsAsContact', 'Does booking the first meeting count as first contact?', 'If yes, a person who books their first meeting online no longer counts against the contact target.')
	] as Field[],
	schema: z
		.object({
			version: text().transform((v) => (/^\d{1,9}$/.test(v.trim()) ? Number(v.trim()) : undefined)),
			nation: text().refine((v): v is Nation => (NATION_CODES as string[]).includes(v), 'Choose whose bank holidays close the service'),
			...daySchema,
			closures: text().transform((v, ctx) => {
				const parsed = parseClosures(v);
				if (!parsed.ok) {
					ctx.addIssue({ code: 'custom', message: parsed.message });
					return z.NEVER;
				}
				return parsed.closures;
			}),
			safetyContacts: text().transform((v, ctx) => {
				const lines = v.split(/\r?\n/).map((l) => l.trim());
				const out: string[] = [];
				for (const [i, line] of lines.entries()) {
					if (!line) continue;
					const parsed = email(null).safeParse(line);
					if (!parsed.success || !parsed.data) {
						ctx.addIssue({ code: 'custom', message: `Line ${i + 1}: enter an email address in the correct format, like duty@example.org` });
						return z.NEVER;
					}
					if (!out.includes(parsed.data)) out.push(parsed.data);
				}
				if (out.length > 20) {
					ctx.addIssue({ code: 'custom', message: 'Enter 20 safety contacts or fewer' });
					return z.NEVER;
				}
				return out;
			}),
			crisisAcknowledgeHours: wholeHours,
			bookingCountsAsContact: text().refine((v) => v === 'yes' || v === 'no', 'Choose whether booking the first meeting counts as first contact')
		})
		.superRefine((v, ctx) => {
			const times = v as unknown as Record<string, string>;
			for (const [i, name] of WEEKDAY_NAMES.entries()) {
				const open = times[openName(i + 1)];
				const close = times[closeName(i + 1)];
				if (open && !close) ctx.addIssue({ code: 'custom', path: [closeName(i + 1)], message: `Enter the time the service closes on ${name}, or clear its opening time` });
				else if (close && !open) ctx.addIssue({ code: 'custom', path: [openName(i + 1)], message: `Enter the time the service opens on ${name}, or clear its closing time` });
				else if (open && close && minutesOf(close) <= minutesOf(open))
					ctx.addIssue({ code: 'custom', path: [closeName(i + 1)], message: `${name}'s closing time must be after its opening time` });
			}
			// Run with the other fields' messages too, so every mistake is shown at once.
		}, { when: () => true })
		.transform((v): { version: number | undefined; settings: ServiceSettings } => ({
			version: v.version,
			settings: {
				nation: v.nation as Nation,
				openingHours: WEEKDAY_NAMES.flatMap((_, i) => {
					const times = v as unknown as Record<string, string>;
					const open = times[openName(i + 1)];
					const close = times[closeName(i + 1)];
					return open && close ? [{ weekday: i + 1, open, close }] : [];
				}),
				closures: v.closures,
				safetyContacts: v.safetyContacts,
				crisisAcknowledgeHours: v.crisisAcknowledgeHours,
				bookingCountsAsContact: v.bookingCountsAsContact === 'yes'
			}
		}))
} satisfies FormDefinition;

/** The form's values for stored settings. */
export function serviceSettingsValues(s: ServiceSettings, version: number): RawValues {
	const values: RawValues = {
		version: String(version),
		nation: s.nation,
		closures: s.closures.map((c) => `${formatUkNumeric(c.from)}${c.to !== c.from ? ` to ${formatUkNumeric(c.to)}` : ''}${c.label ? ` ${c.label}` : ''}`).join('\n'),
		safetyContacts: s.safetyContacts.join('\n'),
		crisisAcknowledgeHours: String(s.crisisAcknowledgeHours),
		bookingCountsAsContact: s.bookingCountsAsContact ? 'yes' : 'no'
	};
	for (let weekday = 1; weekday <= 7; weekday++) {
		const day = s.openingHours.find((h) => h.weekday === weekday);
		values[openName(weekday)] = day?.open ?? '';
		values[closeName(weekday)] = day?.close ?? '';
	}
	return values;
}

/** "24/12/2026" */
function formatUkNumeric(iso: string): string {
	const [y, m, d] = iso.split('-').map(Number);
	return `${d}/${m}/${y}`;
}

/** The settings' keys that differ, as `service.<key>` (for the audit row). */
export function changedServiceKeys(before: ServiceSettings, after: ServiceSettings): string[] {
	return (Object.keys(after) as (keyof ServiceSettings)[])
		.filter((k) => JSON.stringify(before[k]) !== JSON.stringify(after[k]))
		.map((k) => `service.${k}`);
}
