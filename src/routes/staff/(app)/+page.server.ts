import { fail, redirect } from '@sveltejs/kit';
import { inboxFilterFields, inboxFilterForm } from '$lib/domain/casework';
import { taskDoneForm } from '$lib/domain/meetings/staff-forms';
import { requireStaff } from '$lib/server/auth/guard';
import { listCaseloads, listInbox, staffInProgrammes } from '$lib/server/casework';
import { parseForm } from '$lib/server/forms';
import { completeTask, openTasksFor } from '$lib/server/meetings/staff-meetings';
import type { Actions, PageServerLoad } from './$types';

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
	const [inbox, tasks] = await Promise.all([listInbox(user, filters), openTasksFor(user)]);
	const done = event.url.searchParams.get('done');
	return {
		filters,
		filterFields: inboxFilterFields(filterForm, caseloads.length),
		filterValues: parsed.raw,
		inbox,
		tasks,
		taskDone: done === 'task' || done === 'task-already' ? done : null,
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
		const result = await completeTask(user, parsed.values.taskId);
		redirect(303, `/staff?done=${result.changed ? 'task' : 'task-already'}#tasks`);
	}
};
