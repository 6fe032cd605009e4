/**
 * A referral's history in words, from its events and contact attempts: a plain sentence for staff for every
 * event type, never its code (an event type this file does not know yet gets a general sentence). Pure: no I/O.
 */
import { dayLabel, timeLabel } from '../meetings/labels';
import { isModeKind, placeWords } from '../meetings/modes';
import { formatLongDate, ukDate } from '../uk-time';
import { EVIDENCE_LABELS, jobEndReasonLabel, type Evidence } from '../jobs';
import { INSTRUMENT_TITLES, isInstrumentId } from '../measures/registry';
import { CONCERN_RESOLUTIONS, isConcernResolution } from '../measures/concern-resolution';
import { MORE_PAGES } from '../refer-pages';
import { CONSENT_STAFF_LABELS, type ConsentKind } from '../consents';
import { sourceStaffLabel } from '../sources';
import { closeReasonLabel, isStatus, STATUS_LABELS } from './statuses';
import { channelLabel, outcomeLabel } from './contact-attempts';

export interface HistoryEvent {
	id: number;
	type: string;
	payload: Record<string, unknown>;
	createdAt: Date;
}

export interface HistoryAttempt {
	id: string;
	staffId: string;
	channel: string;
	outcome: string;
	note: string | null;
	at: Date;
}

export interface HistoryItem {
	at: Date;
	/** One sentence: what happened. */
	title: string;
	/** Who did it, when known. */
	by: string | null;
	lines: string[];
}

/** What the history needs to look up besides staff names: venue names, for meetings in person. */
export interface HistoryLookups {
	venueName?: (id: string | null) => string | null;
}

const str = (v: unknown) => (typeof v === 'string' ? v : null);

/** "Tuesday 8 December at 10:00am" (UK time); null for anything that is not a time. */
function meetingTime(v: unknown): string | null {
	const at = typeof v === 'string' ? new Date(v) : null;
	if (!at || Number.isNaN(at.getTime())) return null;
	return `${dayLabel(ukDate(at))} at ${timeLabel(at)}`;
}

/** "by phone", "by video call", "in person at Central Library"; null when the event does not say. */
function meetingPlace(mode: unknown, venueId: unknown, lookups: HistoryLookups): string | null {
	if (!isModeKind(mode)) return null;
	if (mode !== 'in-person') return placeWords({ kind: mode });
	return placeWords({ kind: 'in-person', venueName: lookups.venueName?.(str(venueId)) ?? 'a venue' });
}

/** The contact details `referral.contact_details_changed` names, in staff words. */
const CONTACT_DETAIL_WORDS: Record<string, string> = {
	email: 'email address',
	phone: 'phone number',
	contactChannels: 'ways to contact them',
	bestTimes: 'best times to contact them',
	messagesMayNameService: 'whether messages may say who we are',
	postAllowed: 'whether letters may be sent'
};

const CONCERN_WORDS: Record<string, string> = {
	crisis: 'crisis answer',
	'steep-fall': 'steep fall in wellbeing',
	'falling-trend': 'falling wellbeing and missed meetings'
};

const CHECK_IN_WORDS = (instrument: unknown) =>
	instrument === 'dialog' ? 'DIALOG+' : typeof instrument === 'string' && isInstrumentId(instrument) ? INSTRUMENT_TITLES[instrument] : 'a questionnaire';

const SUBJECTS: Record<string, string> = { referral: 'Referral', meeting: 'Meeting', checkin: 'Check-in', wellbeing: 'Wellbeing', consent: 'Consent' };

/** An event type this file has no sentence for yet, in words: "wellbeing.concern_resolved" is "Wellbeing: concern resolved". */
export function eventTypeWords(type: string): string {
	const [subject, ...rest] = type.split('.');
	const words = rest.join(' ').replace(/[_-]+/g, ' ').trim();
	const head = SUBJECTS[subject] ?? 'Something changed';
	return words ? `${head}: ${words}` : head;
}

function attemptLines(a: HistoryAttempt): string[] {
	return a.note ? [`Note: ${a.note}`] : [];
}

/**
 * The referral's events and contact attempts, oldest first, in words. A contact attempt's event carries
 * the attempt's id; its note comes from the attempt itself (notes stay out of the event log).
 */
export function buildHistory(
	events: HistoryEvent[],
	attempts: HistoryAttempt[],
	staffName: (id: string | null) => string | null,
	lookups: HistoryLookups = {}
): HistoryItem[] {
	const items: (HistoryItem & { order: number })[] = [];
	const usedAttempts = new Set<string>();
	const byId = new Map(attempts.map((a) => [a.id, a]));
	const status = (v: unknown) => (isStatus(v) ? STATUS_LABELS[v] : String(v ?? ''));

	for (const e of events) {
		const p = e.payload;
		const actor = p.actor as { type?: string; name?: string; kind?: string; staffId?: string } | undefined;
		// Changes sent by the case system carry the API key's name instead of a staff member; meeting events
		// name the staff member who made the change in their actor.
		const by =
			staffName(str(p.byStaffId)) ??
			(actor?.kind === 'staff' ? staffName(str(actor.staffId)) : null) ??
			(actor?.type === 'api-key' && actor.name ? `Case system (${actor.name})` : null);
		const base = { at: e.createdAt, by, order: e.id };
		// Meeting events: who made the change, in the sentence ("by the person"); staff are named in `by`.
		const byPerson = actor?.kind === 'participant' ? ' by the person' : '';
		const when = meetingTime(p.startsAt);
		const place = meetingPlace(p.mode, p.venueId, lookups);
		const specialist = staffName(str(p.staffId));
		const withWhom = specialist ? [`With ${specialist}`] : [];
		switch (e.type) {
			case 'referral.submitted': {
				const source = p.source as { code?: string; odsCode?: string | null } | undefined;
				const label = sourceStaffLabel(source?.code);
				const routed = str(p.assignedStaffId);
				items.push({
					...base,
					by: null,
					title: 'Referral received',
					lines: [
						`Source: ${label}${source?.odsCode ? ` (GP practice ${source.odsCode})` : ''}`,
						routed ? `Sent to ${staffName(routed) ?? 'a specialist'}, who is linked to the source` : 'Sent to the programme’s queue'
					]
				});
				break;
			}
			case 'referral.assigned': {
				const to = str(p.to);
				const how = str(p.how);
				const name = staffName(to) ?? 'a specialist';
				const title =
					how === 'claimed'
						? `Claimed by ${name}`
						: how === 'first-meeting' && to
							? `Assigned to ${name} when the person booked their first meeting`
							: to
								? `Assigned to ${name}`
								: 'Returned to the programme’s queue';
				items.push({ ...base, title, lines: [] });
				break;
			}
			case 'referral.contact_attempted': {
				const attempt = byId.get(String(p.attemptId ?? ''));
				if (attempt) usedAttempts.add(attempt.id);
				const channel = channelLabel(String(p.channel ?? attempt?.channel ?? ''));
				const outcome = outcomeLabel(String(p.outcome ?? attempt?.outcome ?? ''));
				items.push({
					...base,
					at: attempt?.at ?? e.createdAt,
					title: `Contact attempt: ${channel}. ${outcome}`,
					lines: [...(p.firstContact ? ['First contact made'] : []), ...(attempt ? attemptLines(attempt) : [])]
				});
				break;
			}
			case 'referral.status_changed': {
				const to = str(p.to);
				const title = to === 'closed' ? `Closed: ${closeReasonLabel(str(p.closedReason))}` : `Status changed to ${status(to)}`;
				items.push({ ...base, title, lines: [`Was: ${status(p.from)}`] });
				break;
			}
			case 'referral.withdrawn':
				items.push({
					...base,
					by: p.by === 'staff' ? base.by : null,
					title: p.by === 'staff' ? 'Withdrawal recorded for the person' : 'The person withdrew their referral',
					lines: [`Closed: ${closeReasonLabel(str(p.closedReason))}`]
				});
				break;
			case 'referral.details_added': {
				const page = MORE_PAGES.find((m) => m.id === p.page);
				items.push({
					...base,
					by: null,
					title: 'The person told us more after sending their referral',
					lines: [`Answered: ${page ? (page.staffSummaryLabel ?? page.summaryLabel) : 'an optional question'}`]
				});
				break;
			}
			case 'referral.contact_details_changed': {
				const changed = Array.isArray(p.changed) ? p.changed.filter((c): c is string => typeof c === 'string') : [];
				items.push({
					...base,
					by: null,
					title: 'The person changed their contact details',
					lines: [
						`Changed: ${changed.map((c) => CONTACT_DETAIL_WORDS[c] ?? c).join(', ') || 'contact details'}`,
						...(p.confirmed === true ? ['The new address or number was confirmed with a code sent to it'] : [])
					]
				});
				break;
			}
			case 'consent.withdrawn': {
				const kind = str(p.kind);
				items.push({
					...base,
					by: null,
					title: `The person withdrew their consent: ${kind && kind in CONSENT_STAFF_LABELS ? CONSENT_STAFF_LABELS[kind as ConsentKind] : 'a consent'}`,
					lines: [`Wording version: ${str(p.textVersion) ?? 'not recorded'}`]
				});
				break;
			}
			case 'referral.erased':
				items.push({
					...base,
					title: p.why === 'retention' ? "The person's data was erased: the retention period ended" : "The person's data was erased, as they asked",
					lines: ['Their name, contact details, answers, check-ins and words are gone; what the reports count stays']
				});
				break;
			case 'job.started':
				items.push({ ...base, title: p.reportedBy === 'participant' ? 'Job start confirmed (the person told us first)' : 'Job start recorded', lines: [] });
				break;
			case 'job.sustained':
				items.push({ ...base, title: `Still in work at ${String(p.weeks)} weeks`, lines: [`Evidence: ${EVIDENCE_LABELS[p.evidence as Evidence] ?? String(p.evidence)}`] });
				break;
			case 'job.ended':
				items.push({ ...base, title: `Job ended${p.endedOn ? ` on ${formatLongDate(String(p.endedOn))}` : ''}`, lines: [`Why: ${jobEndReasonLabel(str(p.endReason))}`] });
				break;
			case 'meeting.booked':
				items.push({
					...base,
					title: `${p.first === true ? 'First meeting' : 'Meeting'} booked${byPerson}${when ? ` for ${when}` : ''}${place ? `, ${place}` : ''}`,
					lines: withWhom
				});
				break;
			case 'meeting.rescheduled': {
				const previous = (p.previous ?? null) as { startsAt?: unknown; mode?: unknown; venueId?: unknown } | null;
				const before = meetingTime(previous?.startsAt);
				const placeBefore = previous && 'mode' in previous ? meetingPlace(previous.mode, previous.venueId, lookups) : null;
				const moved = before && when && before !== when ? ` from ${before} to ${when}` : when ? ` to ${when}` : '';
				const lines = place && placeBefore && placeBefore !== place ? [`Now ${place}: it was ${placeBefore}`] : place ? [`Still ${place}`] : [];
				items.push({ ...base, title: `Meeting moved${byPerson}${moved}`, lines: [...lines, ...withWhom] });
				break;
			}
			case 'meeting.cancelled': {
				const reason = str(p.reason)?.trim();
				items.push({
					...base,
					title: `Meeting cancelled${byPerson}`,
					lines: [
						...(when ? [`It was ${when}${place ? `, ${place}` : ''}`] : []),
						...withWhom,
						...(reason ? [`Reason given: ${reason}`] : [])
					]
				});
				break;
			}
			case 'meeting.attended':
				items.push({ ...base, title: `Came to ${p.first === true ? 'their first' : 'the'} meeting${when ? ` on ${when}` : ''}`, lines: [...(place ? [`Met ${place}`] : []), ...withWhom] });
				break;
			case 'meeting.missed':
				items.push({
					...base,
					title: `Did not come to ${p.first === true ? 'their first' : 'the'} meeting${when ? ` on ${when}` : ''}`,
					lines: [...(place ? [`Was to meet ${place}`] : []), ...withWhom]
				});
				break;
			case 'checkin.completed':
				// No scores or answers here: they are on the check-ins page.
				items.push({ ...base, by: null, title: `Finished a check-in: ${CHECK_IN_WORDS(p.instrument)}`, lines: [] });
				break;
			case 'wellbeing.concern_raised': {
				const kind = str(p.kind);
				items.push({ ...base, by: null, title: `Wellbeing concern raised: ${(kind && CONCERN_WORDS[kind]) ?? 'see their check-ins'}`, lines: [] });
				break;
			}
			case 'wellbeing.concern_resolved': {
				const kind = str(p.kind);
				const resolution = str(p.resolution);
				items.push({
					...base,
					title: `Wellbeing concern dealt with: ${(kind && CONCERN_WORDS[kind]) ?? 'a concern'}`,
					lines: [`What was done: ${resolution && isConcernResolution(resolution) ? CONCERN_RESOLUTIONS[resolution] : 'not recorded'}`]
				});
				break;
			}
			default:
				items.push({ ...base, title: eventTypeWords(e.type), lines: [] });
		}
	}
	// Attempts without an event (there should be none) are still shown.
	for (const a of attempts) {
		if (usedAttempts.has(a.id)) continue;
		items.push({
			at: a.at,
			by: staffName(a.staffId),
			order: Number.MAX_SAFE_INTEGER,
			title: `Contact attempt: ${channelLabel(a.channel)}. ${outcomeLabel(a.outcome)}`,
			lines: attemptLines(a)
		});
	}
	// Events in the order they were committed (their ids), which clocks on different machines cannot upset.
	items.sort((a, b) => a.order - b.order || a.at.getTime() - b.at.getTime());
	return items.map(({ order: _order, ...item }) => item);
}
