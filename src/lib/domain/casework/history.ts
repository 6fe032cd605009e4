/** A referral's history in words, from its events and contact attempts. Pure: no I/O. */
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

const str = (v: unknown) => (typeof v === 'string' ? v : null);

function attemptLines(a: HistoryAttempt): string[] {
	return a.note ? [`Note: ${a.note}`] : [];
}

/**
 * The referral's events and contact attempts, oldest first, in words. A contact attempt's event carries
 * the attempt's id; its note comes from the attempt itself (notes stay out of the event log).
 */
export function buildHistory(events: HistoryEvent[], attempts: HistoryAttempt[], staffName: (id: string | null) => string | null): HistoryItem[] {
	const items: (HistoryItem & { order: number })[] = [];
	const usedAttempts = new Set<string>();
	const byId = new Map(attempts.map((a) => [a.id, a]));
	const status = (v: unknown) => (isStatus(v) ? STATUS_LABELS[v] : String(v ?? ''));

	for (const e of events) {
		const p = e.payload;
		const actor = p.actor as { type?: string; name?: string } | undefined;
		// Changes sent by the case system carry the API key's name instead of a staff member.
		const by = staffName(str(p.byStaffId)) ?? (actor?.type === 'api-key' && actor.name ? `Case system (${actor.name})` : null);
		const base = { at: e.createdAt, by, order: e.id };
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
				const title =
					how === 'claimed' ? `Claimed by ${staffName(to) ?? 'a specialist'}` : to ? `Assigned to ${staffName(to) ?? 'a specialist'}` : 'Returned to the programme’s queue';
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
			default:
				items.push({ ...base, title: e.type, lines: [] });
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
