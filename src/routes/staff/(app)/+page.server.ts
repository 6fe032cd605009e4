import { fail, redirect } from '@sveltejs/kit';
import { inboxFilterFields, inboxFilterForm } from '$lib/domain/casework';
import { taskDoneForm } from '$lib/domain/meetings/staff-forms';
import { requireStaff } from '$lib/http/guard';
import { orRefuse } from '$lib/http/refusal';
import { listCaseloads, listInbox, staffInProgrammes } from '$lib/server/casework';
import { parseForm } from '$lib/server/forms';
import { completeTask, openTasksFor } from '$lib/server/meetings/staff-meetings';
import { openConcernsFor } from '$lib/server/measures/concerns';
import { openErasureRequests } from '$lib/server/data-rights/requests';
import { formatLongDate, ukDate } from '$lib/domain/uk-time';
import type { Actions, PageServerLoad } from './$types';

/**
 * Links to other pages of the inbox, keeping the filters: the first, the last, and the ones either side of
 * this one, with gaps (null) between.
 */
function pageLinks(query: URLSearchParams, page: number, pageCount: number) {
	const href = (n: number) => {
		const next = new URLSearchParams(query);
		next.delete('done');
		if (n === 1) next.delete('page');
		else next.set('page', String(n));
		const text = next.toString();
		return `/staff${text ? `?${text}` : ''}#inbox-heading`;
	};
	const numbers = [...new Set([1, page - 1, page, page + 1, pageCount])].filter((n) => n >= 1 && n <= pageCount).sort((a, b) => a - b);
	const items: ({ number: number; href: string; current: boolean } | null)[] = [];
	let shown = 0;
	for (const n of numbers) {
		if (shown && shown < n - 1) items.push(null);
		items.push({ number: n, href: href(n), current: n === page });
		shown = n;
	}
	return {
		previous: page > 1 ? href(page - 1) : null,
		next: page < pageCount ? href(page + 1) : null,
		items
	};
}

/** The inbox: referrals in the user's programmes (open ones by default), overdue first, with caseloads. */
export const load: PageServerLoad = async (event) => {
	const user = requireStaff(event);
	const [caseloads, staff] = await Promise.all([listCaseloads(user), staffInProgrammes(user.programmeIds)]);
	const filterForm = inboxFilterForm(
		caseloads.map((p) => ({ id: p.programmeId, name: p.programmeName })),
		staff
	);
	const parsed = await parseForm(filterForm, event.url.searchParams);
	// The filter schema falls back to a default for anything unexpected, so it always parses.
	const filters = parsed.ok ? parsed.values : inboxFilterForm().schema.parse({});
	const pageParam = event.url.searchParams.get('page') ?? '';
	const wanted = /^[1-9][0-9]{0,5}$/.test(pageParam) ? Number(pageParam) : 1;
	const now = new Date();
	const [inbox, tasks, concerns, erasures] = await Promise.all([
		listInbox(user, filters, now, wanted),
		openTasksFor(user, now),
		openConcernsFor(user, now),
		openErasureRequests(user.programmeIds)
	]);
	const today = ukDate(now);
	const done = event.url.searchParams.get('done');
	return {
		filters,
		filterFields: inboxFilterFields(filterForm, caseloads.length),
		filterValues: parsed.raw,
		inbox,
		pages: pageLinks(event.url.searchParams, inbox.page, inbox.pageCount),
		tasks,
		taskDone: done === 'task' || done === 'task-already' ? done : null,
		concerns,
		// Deletion requests waiting for a decision, oldest first, with the day the answer is due.
		erasures: erasures.map((r) => ({ reference: r.reference, asked: formatLongDate(ukDate(r.requestedAt)), dueBy: formatLongDate(r.dueBy), overdue: r.dueBy < today })),
		erased: done === 'erased',
		erasureRefused: done === 'erasure-refused',
		caseloads,
		staff,
		userId: user.id
	};
};

export const actions: Actions = {
	/** "Done" on a task: who and when are recorded; a task outside the user's programmes is 404. */
	taskDone: async (event) => {
		const user = requireStaff(event);
		const parsed = await parseForm(taskDoneForm, event.request);
		if (!parsed.ok) return fail(400, { taskError: parsed.errors.taskId ?? 'This task was not found' });
		const result = await orRefuse(completeTask(user, parsed.values.taskId));
		redirect(303, `/staff?done=${result.changed ? 'task' : 'task-already'}#tasks`);
	}
};
