/**
 * The request boundary of the one booking flow (how → day → time → check), run for a new booking
 * (`/account/book/...`) and for moving a meeting (`/account/meetings/<id>/change/...`). The steps are the
 * same; what differs (where the steps live, which free times count, the hints) is in the `Flow` a step
 * works out first. The server modules (`$lib/server/meetings/...`) return plain results; this maps them to
 * SvelteKit's 404, 400 and 303. Words are in the request's language (English as before: i18n/booking.ts).
 */
import { error, fail, redirect } from '@sveltejs/kit';
import { dayQuestion, parseDay, parseHow, parseStart, timeQuestion } from '$lib/domain/meetings/booking-forms';
import type { BookingQuestion } from '$lib/domain/meetings/booking-forms';
import type { Slot } from '$lib/domain/meetings/free-slots';
import type { MeetingPlace } from '$lib/domain/meetings/modes';
import { ukDate } from '$lib/domain/uk-time';
import type { MeetingRow } from '$lib/server/db/schema';
import { parseForm } from '$lib/server/forms';
import { freeSlotsForChange, freeSlotsForParticipant, meetingMode, type BookingParticipant, type FreeTimes, type MeetingHow } from '$lib/server/meetings/booking';
import { changeWay, dayOptions, findOwnMeeting, howOptionsForChange, placeFor, timeOptions, type ChangeWay, type MeetingView } from '$lib/server/meetings/booking-pages';
import { bookingErrors, bookingPage, dayAtTimeWords, isolatedPlace } from '$lib/i18n/booking';
import { placeWordsIn } from '$lib/i18n/account';
import { localDay } from '$lib/i18n/locale-dates';
import { m } from '$lib/paraglide/messages';

/** One of the person's meetings for the change and cancel pages (404 when it is not theirs), and whether it may still change. */
export async function ownMeeting(participant: BookingParticipant, id: string, now = new Date()) {
	const found = await findOwnMeeting(participant, id, now);
	if (!found) error(404, 'Not found');
	return found;
}

/** The meeting being moved, with the way chosen for it. */
export interface Move {
	row: MeetingRow;
	view: MeetingView;
	way: ChangeWay;
}

/** The flow a step runs in, with the way of meeting chosen (`?how=`). */
export interface Way {
	/** Where the steps live: `/account/book` or `/account/meetings/<id>/change`. */
	base: string;
	/** As the "how" radios send it, kept in the step links. */
	how: string;
	query: MeetingHow;
	/** Set when moving a meeting. */
	move: Move | null;
}

export const stepsBase = (id?: string) => (id ? `/account/meetings/${id}/change` : '/account/book');

/** The way chosen, from the address; back to the flow's first step without a valid one. */
export async function chosenWay(participant: BookingParticipant, url: URL, id?: string): Promise<Way> {
	const base = stepsBase(id);
	if (id === undefined) {
		const how = url.searchParams.get('how') ?? '';
		const parsed = parseHow(how);
		if (!parsed || !meetingMode(parsed.mode, parsed.venueId)) redirect(303, base);
		return { base, how, query: parsed, move: null };
	}
	const { row, view } = await ownMeeting(participant, id);
	const way = await changeWay(row, url.searchParams.get('how'));
	if (!way) redirect(303, stepsBase(row.id));
	return { base: stepsBase(row.id), how: way.how, query: way.query, move: { row, view, way } };
}

/** A step's flow with its free times: moving needs a meeting that may still change. */
export interface Flow extends Way {
	place: MeetingPlace;
	slots: Slot[];
	/** For a new booking: the routing and settings the free times came with. */
	times: FreeTimes | null;
}

export async function flowFor(participant: BookingParticipant, url: URL, id?: string): Promise<Flow> {
	const way = await chosenWay(participant, url, id);
	if (!way.move) {
		const times = await freeSlotsForParticipant(participant, way.query);
		const place = await placeFor(meetingMode(way.query.mode!, way.query.venueId)!);
		return { ...way, place, slots: times.slots, times };
	}
	if (!way.move.view.change.ok) redirect(303, way.base);
	const slots = await freeSlotsForChange(participant, way.move.row, undefined, way.move.way.query);
	return { ...way, place: way.move.way.placeDetail, slots, times: null };
}

const enc = encodeURIComponent;

/** The time step's address, with the time chosen (`start`) or the one that has just gone (`taken`). */
export const timeHref = (flow: Pick<Way, 'base' | 'how'>, start: Date, as: 'start' | 'taken' = 'start') =>
	`${flow.base}/time?how=${enc(flow.how)}&day=${ukDate(start)}&${as}=${enc(start.toISOString())}`;

/** A question page's answer: the page again with what was typed and the errors, or on to `next(values)`. */
export async function answer(question: BookingQuestion, request: Request, next: (values: Record<string, string>) => string) {
	const result = await parseForm(question, request);
	if (!result.ok) return fail(400, { values: result.raw, errors: bookingErrors(result.errors) });
	redirect(303, next(result.values as Record<string, string>));
}

/** The question as its page shows it, in the request's language. */
export const pageOf = (question: BookingQuestion) => bookingPage({ heading: question.heading, hint: question.hint, fields: question.fields });

// ---- how -----------------------------------------------------------------------------------------

/** The "how" step's answer: on to the days in the way chosen. */
export function howAnswer(base: string, question: BookingQuestion, request: Request) {
	return answer(question, request, (v) => `${base}/day?how=${enc(v.how)}`);
}

// ---- day -----------------------------------------------------------------------------------------

async function days(participant: BookingParticipant, url: URL, id?: string) {
	const flow = await flowFor(participant, url, id);
	const options = dayOptions(flow.slots);
	const move = flow.move;
	const hint = !move
		? m.ab_day_hint({ place: placeWordsIn(isolatedPlace(flow.place)) })
		: move.way.changed
			? m.ab_day_hint_new_way({ when: move.view.when, place: move.view.place, newPlace: move.way.place })
			: m.ab_day_hint_same_way({ when: move.view.when, place: move.view.place });
	return { flow, options, question: dayQuestion(options, hint) };
}

export interface NoTimes {
	title: string;
	text: string;
	links: { href: string; text: string }[];
}

export async function dayPage(participant: BookingParticipant, url: URL, id?: string) {
	const { flow, options, question } = await days(participant, url, id);
	const chosen = parseDay(url.searchParams.get('day'));
	let back = `${flow.base}?how=${enc(flow.how)}`;
	let noTimes: NoTimes = { title: m.ab_no_times_title(), text: m.ab_no_times_text(), links: [{ href: back, text: m.ab_choose_another_way() }] };
	const move = flow.move;
	if (move) {
		// Back to the "how" page, unless it had only the meeting's own way to offer (then it was skipped).
		const ways = await howOptionsForChange(participant, move.row);
		const skippedHow = ways.length === 1 && ways[0].value === move.way.how && !move.way.changed;
		const meeting = `/account/meetings/${move.row.id}`;
		back = skippedHow ? meeting : back;
		noTimes = {
			title: m.ab_no_other_times_title(),
			text: m.ab_no_other_times_way({ place: move.way.place, when: move.view.when, meetingPlace: move.view.place }),
			links: [...(skippedHow ? [] : [{ href: back, text: m.ab_choose_another_way() }]), { href: meeting, text: m.ab_back_to_meeting() }]
		};
	}
	return {
		back,
		question: pageOf(question),
		values: { day: chosen && options.some((o) => o.value === chosen) ? chosen : '' },
		noTimes: options.length === 0 ? noTimes : null
	};
}

export async function dayAnswer(participant: BookingParticipant, url: URL, request: Request, id?: string) {
	const { flow, question } = await days(participant, url, id);
	return answer(question, request, (v) => `${flow.base}/time?how=${enc(flow.how)}&day=${v.day}`);
}

// ---- time ----------------------------------------------------------------------------------------

async function times(participant: BookingParticipant, url: URL, id?: string) {
	const flow = await flowFor(participant, url, id);
	const day = parseDay(url.searchParams.get('day'));
	if (!day) redirect(303, `${flow.base}/day?how=${enc(flow.how)}`);
	const options = timeOptions(flow.slots, day, flow.place);
	const hint = flow.move ? m.ab_time_hint_change({ day: localDay(day), when: flow.move.view.when }) : m.ab_time_hint({ day: localDay(day) });
	return { flow, day, options, question: timeQuestion(options, hint) };
}

export async function timePage(participant: BookingParticipant, url: URL, id?: string) {
	const { flow, day, options, question } = await times(participant, url, id);
	const chosen = url.searchParams.get('start') ?? '';
	const taken = parseStart(url.searchParams.get('taken'));
	return {
		back: `${flow.base}/day?how=${enc(flow.how)}&day=${day}`,
		dayWords: localDay(day),
		question: pageOf(question),
		values: { start: options.some((o) => o.value === chosen) ? chosen : '' },
		noTimes: options.length === 0,
		taken: taken ? dayAtTimeWords(taken) : null
	};
}

/** On to the invitation (a new booking) or straight to the check (a move). */
export async function timeAnswer(participant: BookingParticipant, url: URL, request: Request, id?: string) {
	const { flow, question } = await times(participant, url, id);
	const next = flow.move ? 'check' : 'invite';
	return answer(question, request, (v) => `${flow.base}/${next}?how=${enc(flow.how)}&start=${enc(v.start)}`);
}

// ---- check ---------------------------------------------------------------------------------------

/** The time chosen (`?start=`); back to the flow's first step without one. */
export function chosenStart(url: URL, base: string): Date {
	const start = parseStart(url.searchParams.get('start'));
	if (!start) redirect(303, base);
	return start;
}

/** The chosen time if it is still free; back to the time step, saying it has gone, if not. */
export async function stillFree(participant: BookingParticipant, url: URL, id?: string) {
	const flow = await flowFor(participant, url, id);
	const start = chosenStart(url, flow.base);
	const slot = flow.slots.find((s) => s.start.getTime() === start.getTime());
	if (!slot) redirect(303, timeHref(flow, start, 'taken'));
	return { flow, start, slot };
}
