/**
 * The outcomes report's counts (domain/outcomes-report.ts), for chosen programmes and dates (UK days, both
 * included). Two kinds of count:
 *
 * - Before referring, by the day they happened: link visits and checks started (link_activity), and checker
 *   results with their reasons (checker_outcome). Anonymous; a link counts for a programme when the link is
 *   that programme's or serves every programme, and a result when it matched that programme or none.
 * - From referring on, for the referrals sent on those days (a cohort), whenever the later step happened:
 *   referrals, contacted within the target (first contact on or before the target date) and working days to
 *   first contact (the programme's working days), first meetings (one attended) and meetings held, starts
 *   (the status reached "started" or "in-work"), job starts (confirmed), jobs sustained at 13 and 26 weeks,
 *   and referrals closed now, by coded reason.
 *
 * Each is counted per link, per GP practice, per DWP category and per month (of the day it happened, or
 * of sending), and in total; the steps from referring on also by age band, gender, ethnic group and whether
 * a condition limits day-to-day activities, only from the answers people gave. The checker counts are
 * grouped in the database (there can be millions); the referral counts are read per referral.
 */
import { and, eq, gte, inArray, isNotNull, isNull, lt, lte, or, sql } from 'drizzle-orm';
import {
	addInto,
	emptyCounts,
	EQUALITY_FIELDS,
	EQUALITY_GROUPINGS,
	equalityKey,
	equalityLabel,
	equalityOrder,
	median,
	monthLabel,
	type EqualityGrouping,
	type FunnelCounts,
	type OutcomesReport,
	type ReportRow
} from '$lib/domain/outcomes-report';
import { workingDaysBetween } from '$lib/domain/working-days';
import { workingDaysOf } from '$lib/domain/service-hours';
import { calendarFor } from '../service-calendar';
import { DWP_CATEGORIES, dwpCategoryOf, isSourceCode, type DwpCategory } from '$lib/domain/sources';
import { addDaysIso, ukStartOfDay } from '$lib/domain/uk-time';
import { getDb } from '../db';
import { checkerOutcome, event, jobOutcome, jobSustainment, linkActivity, meeting, referral, referralLink } from '../db/schema';
import { NO_LINK, UNKNOWN_LINK } from '../checker-stats';

export interface OutcomesFilter {
	programmeIds: string[];
	/** UK dates, YYYY-MM-DD, both included. */
	from: string;
	to: string;
}

type Dimension = 'link' | 'practice' | 'dwp' | 'month' | EqualityGrouping;
type Keys = Partial<Record<Dimension, string>>;

class Groups {
	readonly maps = new Map<Dimension, Map<string, FunnelCounts>>();
	add(keys: Keys, change: (c: FunnelCounts) => void) {
		for (const [dimension, key] of Object.entries(keys) as [Dimension, string][]) {
			const map = this.maps.get(dimension) ?? new Map<string, FunnelCounts>();
			const counts = map.get(key) ?? emptyCounts();
			change(counts);
			map.set(key, counts);
			this.maps.set(dimension, map);
		}
	}
	of(dimension: Dimension): Map<string, FunnelCounts> {
		return this.maps.get(dimension) ?? new Map();
	}
}

const dwpOf = (source: string | null | undefined): string => (isSourceCode(source) ? dwpCategoryOf(source) : '');

export async function outcomesReport(filter: OutcomesFilter): Promise<OutcomesReport> {
	const db = await getDb();
	const ids = filter.programmeIds;
	const groups = new Groups();
	const links = await db.select().from(referralLink);
	const linkByCode = new Map(links.map((l) => [l.code, l]));
	const linkInScope = (code: string) => {
		const link = linkByCode.get(code);
		return !link || !link.programmeId || ids.includes(link.programmeId);
	};
	const linkKeys = (code: string, month: string): Keys => {
		const link = linkByCode.get(code);
		return { link: code, practice: link?.odsCode ?? '', dwp: dwpOf(link?.sourceCode), month };
	};

	if (ids.length) {
		// One after another: side by side, the two large reads took longer in all on two cores.
		// ---- before referring: by day (grouped by the date itself, months folded here: to_char over a
		// million rows cost a second) ----
		const cohort = and(inArray(referral.programmeId, ids), gte(referral.submittedAt, ukStartOfDay(filter.from)), lt(referral.submittedAt, ukStartOfDay(addDaysIso(filter.to, 1))));
		const activity = await db
			.select({
				linkCode: linkActivity.linkCode,
				day: linkActivity.day,
				visits: sql<number>`sum(${linkActivity.visits})::int`,
				checks: sql<number>`sum(${linkActivity.checksStarted})::int`
			})
			.from(linkActivity)
			.where(and(gte(linkActivity.day, filter.from), lte(linkActivity.day, filter.to)))
			.groupBy(linkActivity.linkCode, linkActivity.day);
		const results = await db
			.select({
				linkCode: checkerOutcome.linkCode,
				odsCode: checkerOutcome.odsCode,
				sourceCode: checkerOutcome.sourceCode,
				day: checkerOutcome.day,
				outcome: checkerOutcome.outcome,
				reasons: checkerOutcome.reasons,
				n: sql<number>`count(*)::int`
			})
			.from(checkerOutcome)
			.where(and(gte(checkerOutcome.day, filter.from), lte(checkerOutcome.day, filter.to), or(inArray(checkerOutcome.programmeId, ids), isNull(checkerOutcome.programmeId))))
			.groupBy(checkerOutcome.linkCode, checkerOutcome.odsCode, checkerOutcome.sourceCode, checkerOutcome.day, checkerOutcome.outcome, checkerOutcome.reasons);
		// ---- from referring on: the referrals sent on those days ----
		const sent = await db
			.select({
				id: referral.id,
				programmeId: referral.programmeId,
				// UK days worked out by the database: parsing 200,000 timestamps here cost more than the query.
				sentOn: sql<string>`((${referral.submittedAt} at time zone 'Europe/London')::date)::text`,
				contactedOn: sql<string | null>`((${referral.firstContactAt} at time zone 'Europe/London')::date)::text`,
				dateOfBirth: referral.dateOfBirth,
				reportFacts: referral.reportFacts,
				// Only the equality answers: the whole answers document was most of the row (1 s of 2 at 100,000).
				gender: sql<string | null>`${referral.answers}->>${EQUALITY_FIELDS.gender}`,
				ethnicity: sql<string | null>`${referral.answers}->>${EQUALITY_FIELDS.ethnicity}`,
				disability: sql<string | null>`${referral.answers}->>${EQUALITY_FIELDS.disability}`,
				closedReason: referral.closedReason,
				linkCode: referral.sourceLinkCode,
				odsCode: referral.sourceOdsCode,
				dwpCategory: referral.dwpCategory,
				status: referral.status,
				contactTargetDate: referral.contactTargetDate,
				employment: referral.employmentStatus
			})
			.from(referral)
			.where(cohort);
		for (const a of activity) {
			if (!linkInScope(a.linkCode)) continue;
			groups.add(linkKeys(a.linkCode, a.day.slice(0, 7)), (c) => {
				c.visits += Number(a.visits);
				c.checksStarted += Number(a.checks);
			});
		}
		for (const r of results) {
			const code = r.linkCode ?? NO_LINK;
			if (!linkInScope(code)) continue;
			const n = Number(r.n);
			groups.add({ link: code, practice: r.odsCode ?? '', dwp: dwpOf(r.sourceCode), month: r.day.slice(0, 7) }, (c) => {
				if (r.outcome === 'likely-eligible') c.checkOutcomes.likely += n;
				else if (r.outcome === 'talk-to-specialist') c.checkOutcomes.talk += n;
				else if (r.outcome === 'not-eligible') {
					c.checkOutcomes.notEligible += n;
					for (const reason of Array.isArray(r.reasons) ? r.reasons : []) c.notEligibleReasons[String(reason)] = (c.notEligibleReasons[String(reason)] ?? 0) + n;
				}
			});
		}

		const inCohort = db.select({ id: referral.id }).from(referral).where(cohort);
		const [met, started, jobs] = await Promise.all([
			db
				.select({ id: meeting.referralId, n: sql<number>`count(*)::int` })
				.from(meeting)
				.where(and(eq(meeting.status, 'attended'), inArray(meeting.referralId, inCohort)))
				.groupBy(meeting.referralId),
			db
				.selectDistinct({ id: event.referralId })
				.from(event)
				.where(and(eq(event.type, 'referral.status_changed'), sql`${event.payload}->>'to' in ('started', 'in-work')`, inArray(event.referralId, inCohort))),
			db
				.select({ id: jobOutcome.id, referralId: jobOutcome.referralId })
				.from(jobOutcome)
				.where(and(isNotNull(jobOutcome.confirmedAt), inArray(jobOutcome.referralId, inCohort)))
		]);
		const sustained = jobs.length
			? await db
					.select({ jobId: jobSustainment.jobId, weeks: jobSustainment.weeks })
					.from(jobSustainment)
					.where(inArray(jobSustainment.jobId, jobs.map((j) => j.id)))
			: [];
		const meetingsOf = new Map(met.map((m) => [m.id, Number(m.n)]));
		// Working days to first contact, by each programme's own working days (as its contact target).
		const calendars = new Map<string, (iso: string) => boolean>();
		for (const id of new Set(sent.map((r) => r.programmeId))) calendars.set(id, workingDaysOf(await calendarFor(id, filter.to, { earliest: filter.from })));
		const startedIds = new Set(started.map((s) => s.id));
		const jobsOf = new Map<string, string[]>();
		for (const j of jobs) jobsOf.set(j.referralId, [...(jobsOf.get(j.referralId) ?? []), j.id]);
		const weeksOf = new Map<string, Set<number>>();
		for (const s of sustained) weeksOf.set(s.jobId, (weeksOf.get(s.jobId) ?? new Set()).add(s.weeks));

		// Many referrals share a programme, a day sent and a day contacted: count each such span once.
		const spans = new Map<string, number>();
		const daysToContact = (programmeId: string, sentOn: string, contactedOn: string) => {
			const key = `${programmeId} ${sentOn} ${contactedOn}`;
			let days = spans.get(key);
			if (days === undefined) spans.set(key, (days = Math.max(0, workingDaysBetween(sentOn, contactedOn, calendars.get(programmeId)!))));
			return days;
		};
		for (const r of sent) {
			const theirJobs = jobsOf.get(r.id) ?? [];
			const sentOn = r.sentOn;
			const answers = { [EQUALITY_FIELDS.gender]: r.gender, [EQUALITY_FIELDS.ethnicity]: r.ethnicity, [EQUALITY_FIELDS.disability]: r.disability };
			const keys: Keys = { link: r.linkCode ?? NO_LINK, practice: r.odsCode ?? '', dwp: r.dwpCategory, month: sentOn.slice(0, 7) };
			// An erased referral keeps only the bands and codes it counted under (erasure.ts reportFactsOf).
			for (const g of EQUALITY_GROUPINGS) keys[g.id] = r.reportFacts ? (r.reportFacts[g.id] ?? '') : equalityKey(g.id, answers, r.dateOfBirth, sentOn);
			const meetings = meetingsOf.get(r.id) ?? 0;
			const contactedOn = r.contactedOn;
			groups.add(keys, (c) => {
				c.referrals += 1;
				if (contactedOn && contactedOn <= r.contactTargetDate) c.contactedWithinTarget += 1;
				if (contactedOn) c.daysToFirstContact.push(daysToContact(r.programmeId, sentOn, contactedOn));
				if (meetings) c.firstMeetings += 1;
				c.meetingsHeld += meetings;
				if (startedIds.has(r.id) || r.status === 'started' || r.status === 'in-work') c.starts += 1;
				c.jobStarts += theirJobs.length;
				if (r.employment === 'out-of-work') c.jobStartsOutOfWork += theirJobs.length;
				else c.jobStartsInWork += theirJobs.length;
				for (const id of theirJobs) {
					if (weeksOf.get(id)?.has(13)) c.sustained13 += 1;
					if (weeksOf.get(id)?.has(26)) c.sustained26 += 1;
				}
				if (r.status === 'closed' && r.closedReason) c.closed[r.closedReason] = (c.closed[r.closedReason] ?? 0) + 1;
			});
		}
	}

	const rows = (map: Map<string, FunnelCounts>, label: (key: string) => string): ReportRow[] =>
		[...map.entries()].map(([key, counts]) => ({ key, label: label(key), counts })).sort((a, b) => a.label.localeCompare(b.label) || a.key.localeCompare(b.key));
	const sources = rows(groups.of('link'), (code) =>
		code === NO_LINK ? 'No link (the start page or a typed address)' : code === UNKNOWN_LINK ? 'Links that do not exist' : (linkByCode.get(code)?.label ?? code)
	);
	const equalityRows = (g: EqualityGrouping) =>
		[...groups.of(g).entries()]
			.map(([key, counts]) => ({ key, label: equalityLabel(g, key), counts }))
			.sort((a, b) => equalityOrder(g, a.key) - equalityOrder(g, b.key));
	return {
		from: filter.from,
		to: filter.to,
		programmeIds: ids,
		sources,
		practices: rows(groups.of('practice'), (ods) => (ods ? `GP practice ${ods}` : 'No GP practice')),
		dwpCategories: rows(groups.of('dwp'), (k) => DWP_CATEGORIES[k as DwpCategory] ?? 'Not known before referring'),
		months: [...groups.of('month').entries()].sort(([a], [b]) => a.localeCompare(b)).map(([key, counts]) => ({ key, label: monthLabel(key), counts })),
		equality: Object.fromEntries(EQUALITY_GROUPINGS.map((g) => [g.id, equalityRows(g.id)])) as Record<EqualityGrouping, ReportRow[]>,
		totals: sources.reduce((total, row) => addInto(total, row.counts), emptyCounts())
	};
}

/** The command line's JSON (issue 23): `sources` one object per link (with `link`), and `totals`. */
export function outcomesJson(report: OutcomesReport) {
	const flat = (c: FunnelCounts) => ({
		visits: c.visits,
		checksStarted: c.checksStarted,
		checkOutcomes: { ...c.checkOutcomes },
		notEligibleReasons: { ...c.notEligibleReasons },
		referrals: c.referrals,
		contactedWithinTarget: c.contactedWithinTarget,
		medianDaysToFirstContact: median(c.daysToFirstContact),
		firstMeetings: c.firstMeetings,
		meetingsHeld: c.meetingsHeld,
		meetingsPerParticipant: c.firstMeetings ? Math.round((10 * c.meetingsHeld) / c.firstMeetings) / 10 : null,
		starts: c.starts,
		jobStarts: c.jobStarts,
		jobStartsOutOfWork: c.jobStartsOutOfWork,
		jobStartsInWork: c.jobStartsInWork,
		sustained13: c.sustained13,
		sustained26: c.sustained26,
		closed: { ...c.closed }
	});
	return {
		from: report.from,
		to: report.to,
		programmes: report.programmeIds,
		sources: report.sources.map((s) => ({ link: s.key, label: s.label, ...flat(s.counts) })),
		practices: report.practices.map((s) => ({ odsCode: s.key, ...flat(s.counts) })),
		dwpCategories: report.dwpCategories.map((s) => ({ category: s.key, ...flat(s.counts) })),
		months: report.months.map((s) => ({ month: s.key, ...flat(s.counts) })),
		equality: Object.fromEntries(EQUALITY_GROUPINGS.map((g) => [g.id, report.equality[g.id].map((s) => ({ answer: s.key, label: s.label, ...flat(s.counts) }))])),
		totals: flat(report.totals)
	};
}
