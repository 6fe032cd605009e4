/**
 * The outcomes report's counts (domain/outcomes-report.ts), for chosen programmes and dates (UK days, both
 * included). Two kinds of count:
 *
 * - Before referring, by the day they happened: link visits and checks started (link_activity), and checker
 *   results with their reasons (checker_outcome). Anonymous; a link counts for a programme when the link is
 *   that programme's or serves every programme, and a result when it matched that programme or none.
 * - From referring on, for the referrals sent on those days (a cohort), whenever the later step happened:
 *   referrals, contacted within the target (first contact on or before the target date), first meetings
 *   (one attended), starts (the status reached "started" or "in-work"), job starts (confirmed), and jobs
 *   sustained at 13 and 26 weeks.
 *
 * Each is counted per link, per GP practice and per DWP category, and in total. The checker counts are
 * grouped in the database (there can be millions); the referral counts are read per referral.
 */
import { and, eq, gte, inArray, isNotNull, isNull, lt, lte, or, sql } from 'drizzle-orm';
import { addInto, emptyCounts, type FunnelCounts, type OutcomesReport, type ReportRow } from '$lib/domain/outcomes-report';
import { DWP_CATEGORIES, dwpCategoryOf, isSourceCode, type DwpCategory } from '$lib/domain/sources';
import { addDaysIso, ukDate, ukStartOfDay } from '$lib/domain/uk-time';
import { getDb } from '../db';
import { checkerOutcome, event, jobOutcome, jobSustainment, linkActivity, meeting, referral, referralLink } from '../db/schema';
import { NO_LINK, UNKNOWN_LINK } from '../checker-stats';

export interface OutcomesFilter {
	programmeIds: string[];
	/** UK dates, YYYY-MM-DD, both included. */
	from: string;
	to: string;
}

type Keys = { link: string; practice: string; dwp: string };

class Groups {
	readonly byLink = new Map<string, FunnelCounts>();
	readonly byPractice = new Map<string, FunnelCounts>();
	readonly byDwp = new Map<string, FunnelCounts>();
	add(keys: Keys, change: (c: FunnelCounts) => void) {
		for (const [map, key] of [
			[this.byLink, keys.link],
			[this.byPractice, keys.practice],
			[this.byDwp, keys.dwp]
		] as const) {
			const counts = map.get(key) ?? emptyCounts();
			change(counts);
			map.set(key, counts);
		}
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
	const linkKeys = (code: string): Keys => {
		const link = linkByCode.get(code);
		return { link: code, practice: link?.odsCode ?? '', dwp: dwpOf(link?.sourceCode) };
	};

	if (ids.length) {
		// ---- before referring: by day ----
		const activity = await db
			.select({ linkCode: linkActivity.linkCode, visits: sql<number>`sum(${linkActivity.visits})::int`, checks: sql<number>`sum(${linkActivity.checksStarted})::int` })
			.from(linkActivity)
			.where(and(gte(linkActivity.day, filter.from), lte(linkActivity.day, filter.to)))
			.groupBy(linkActivity.linkCode);
		for (const a of activity) {
			if (!linkInScope(a.linkCode)) continue;
			groups.add(linkKeys(a.linkCode), (c) => {
				c.visits += Number(a.visits);
				c.checksStarted += Number(a.checks);
			});
		}
		const results = await db
			.select({
				linkCode: checkerOutcome.linkCode,
				odsCode: checkerOutcome.odsCode,
				sourceCode: checkerOutcome.sourceCode,
				outcome: checkerOutcome.outcome,
				reasons: checkerOutcome.reasons,
				n: sql<number>`count(*)::int`
			})
			.from(checkerOutcome)
			.where(and(gte(checkerOutcome.day, filter.from), lte(checkerOutcome.day, filter.to), or(inArray(checkerOutcome.programmeId, ids), isNull(checkerOutcome.programmeId))))
			.groupBy(checkerOutcome.linkCode, checkerOutcome.odsCode, checkerOutcome.sourceCode, checkerOutcome.outcome, checkerOutcome.reasons);
		for (const r of results) {
			const code = r.linkCode ?? NO_LINK;
			if (!linkInScope(code)) continue;
			const n = Number(r.n);
			groups.add({ link: code, practice: r.odsCode ?? '', dwp: dwpOf(r.sourceCode) }, (c) => {
				if (r.outcome === 'likely-eligible') c.checkOutcomes.likely += n;
				else if (r.outcome === 'talk-to-specialist') c.checkOutcomes.talk += n;
				else if (r.outcome === 'not-eligible') {
					c.checkOutcomes.notEligible += n;
					for (const reason of Array.isArray(r.reasons) ? r.reasons : []) c.notEligibleReasons[String(reason)] = (c.notEligibleReasons[String(reason)] ?? 0) + n;
				}
			});
		}

		// ---- from referring on: the referrals sent on those days ----
		const cohort = and(inArray(referral.programmeId, ids), gte(referral.submittedAt, ukStartOfDay(filter.from)), lt(referral.submittedAt, ukStartOfDay(addDaysIso(filter.to, 1))));
		const sent = await db
			.select({
				id: referral.id,
				linkCode: referral.sourceLinkCode,
				odsCode: referral.sourceOdsCode,
				dwpCategory: referral.dwpCategory,
				status: referral.status,
				firstContactAt: referral.firstContactAt,
				contactTargetDate: referral.contactTargetDate,
				employment: referral.employmentStatus
			})
			.from(referral)
			.where(cohort);
		const inCohort = db.select({ id: referral.id }).from(referral).where(cohort);
		const [met, started, jobs] = await Promise.all([
			db.selectDistinct({ id: meeting.referralId }).from(meeting).where(and(eq(meeting.status, 'attended'), inArray(meeting.referralId, inCohort))),
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
		const metIds = new Set(met.map((m) => m.id));
		const startedIds = new Set(started.map((s) => s.id));
		const jobsOf = new Map<string, string[]>();
		for (const j of jobs) jobsOf.set(j.referralId, [...(jobsOf.get(j.referralId) ?? []), j.id]);
		const weeksOf = new Map<string, Set<number>>();
		for (const s of sustained) weeksOf.set(s.jobId, (weeksOf.get(s.jobId) ?? new Set()).add(s.weeks));

		for (const r of sent) {
			const theirJobs = jobsOf.get(r.id) ?? [];
			groups.add({ link: r.linkCode ?? NO_LINK, practice: r.odsCode ?? '', dwp: r.dwpCategory }, (c) => {
				c.referrals += 1;
				if (r.firstContactAt && ukDate(r.firstContactAt) <= r.contactTargetDate) c.contactedWithinTarget += 1;
				if (metIds.has(r.id)) c.firstMeetings += 1;
				if (startedIds.has(r.id) || r.status === 'started' || r.status === 'in-work') c.starts += 1;
				c.jobStarts += theirJobs.length;
				if (r.employment === 'out-of-work') c.jobStartsOutOfWork += theirJobs.length;
				else c.jobStartsInWork += theirJobs.length;
				for (const id of theirJobs) {
					if (weeksOf.get(id)?.has(13)) c.sustained13 += 1;
					if (weeksOf.get(id)?.has(26)) c.sustained26 += 1;
				}
			});
		}
	}

	const rows = (map: Map<string, FunnelCounts>, label: (key: string) => string): ReportRow[] =>
		[...map.entries()].map(([key, counts]) => ({ key, label: label(key), counts })).sort((a, b) => a.label.localeCompare(b.label) || a.key.localeCompare(b.key));
	const sources = rows(groups.byLink, (code) =>
		code === NO_LINK ? 'No link (the start page or a typed address)' : code === UNKNOWN_LINK ? 'Links that do not exist' : (linkByCode.get(code)?.label ?? code)
	);
	return {
		from: filter.from,
		to: filter.to,
		programmeIds: ids,
		sources,
		practices: rows(groups.byPractice, (ods) => (ods ? `GP practice ${ods}` : 'No GP practice')),
		dwpCategories: rows(groups.byDwp, (k) => DWP_CATEGORIES[k as DwpCategory] ?? 'Not known before referring'),
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
		firstMeetings: c.firstMeetings,
		starts: c.starts,
		jobStarts: c.jobStarts,
		jobStartsOutOfWork: c.jobStartsOutOfWork,
		jobStartsInWork: c.jobStartsInWork,
		sustained13: c.sustained13,
		sustained26: c.sustained26
	});
	return {
		from: report.from,
		to: report.to,
		programmes: report.programmeIds,
		sources: report.sources.map((s) => ({ link: s.key, label: s.label, ...flat(s.counts) })),
		practices: report.practices.map((s) => ({ odsCode: s.key, ...flat(s.counts) })),
		dwpCategories: report.dwpCategories.map((s) => ({ category: s.key, ...flat(s.counts) })),
		totals: flat(report.totals)
	};
}
