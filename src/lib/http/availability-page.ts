/**
 * The availability page, shared by /staff/availability (your own) and /staff/availability/[staffId] (a
 * team lead or admin changing someone in their programmes). The routes guard first (requireStaff) and
 * find the person (availabilityOwner); this module reads the page's data and runs its form actions (the
 * request boundary: a refusal is SvelteKit's 400, a change its 303).
 */
import { fail, redirect } from '@sveltejs/kit';
import { readRaw, type RawValues } from '$lib/domain/fields';
import {
	AVAILABILITY_ACTIONS,
	extraHoursForm,
	leaveForm,
	removeForm,
	removedHoursForm,
	videoLinkForm,
	weeklyPatternForm,
	type AvailabilityAction
} from '$lib/domain/meetings/availability-forms';
import type { StaffUser } from '$lib/server/auth/sessions';
import { getDb } from '$lib/server/db';
import {
	addLeave,
	addOneOffChange,
	addWeeklyPattern,
	availabilityView,
	colleaguesFor,
	listVenues,
	removeLeave,
	removeOneOffChange,
	removeWeeklyPattern,
	setVideoLink,
	type AvailabilityOwner,
	type ChangeResult
} from '$lib/server/meetings/availability-store';

export { AVAILABILITY_ACTIONS, type AvailabilityAction };

/** Where each form's section is on the page, to come back to after a change. */
const SECTION: Record<AvailabilityAction, string> = {
	addPattern: 'weekly-hours',
	removePattern: 'weekly-hours',
	addExtra: 'date-changes',
	addRemoved: 'date-changes',
	removeChange: 'date-changes',
	addLeave: 'leave',
	removeLeave: 'leave',
	videoLink: 'video-link'
};

export async function availabilityPageData(user: StaffUser, owner: AvailabilityOwner, url: URL) {
	const [view, colleagues] = await Promise.all([availabilityView(owner.id), owner.self ? colleaguesFor(user) : Promise.resolve([])]);
	const done = url.searchParams.get('done');
	return {
		owner: { id: owner.id, name: owner.name, self: owner.self },
		...view,
		colleagues,
		done: done === 'unchanged' || (AVAILABILITY_ACTIONS as readonly string[]).includes(done ?? '') ? (done as AvailabilityAction | 'unchanged') : null
	};
}

async function fieldsFor(action: AvailabilityAction) {
	const venues = async () => (await listVenues(await getDb())).map((v) => ({ id: v.id, name: v.name }));
	switch (action) {
		case 'addPattern':
			return weeklyPatternForm(await venues()).fields;
		case 'addExtra':
			return extraHoursForm(await venues()).fields;
		case 'addRemoved':
			return removedHoursForm.fields;
		case 'addLeave':
			return leaveForm.fields;
		case 'videoLink':
			return videoLinkForm.fields;
		default:
			return removeForm.fields;
	}
}

function run(action: AvailabilityAction, ownerId: string, values: RawValues, actorId: string): Promise<ChangeResult> {
	switch (action) {
		case 'addPattern':
			return addWeeklyPattern(ownerId, values, actorId);
		case 'removePattern':
			return removeWeeklyPattern(ownerId, values, actorId);
		case 'addExtra':
			return addOneOffChange(ownerId, 'extra', values, actorId);
		case 'addRemoved':
			return addOneOffChange(ownerId, 'removed', values, actorId);
		case 'removeChange':
			return removeOneOffChange(ownerId, values, actorId);
		case 'addLeave':
			return addLeave(ownerId, values, actorId);
		case 'removeLeave':
			return removeLeave(ownerId, values, actorId);
		case 'videoLink':
			return setVideoLink(ownerId, values, actorId);
	}
}

/**
 * Runs one of the page's forms for `owner`. A refusal shows the page again with the form's values and
 * messages (400); a change goes back to the page's section (303, so a refresh does not repeat it).
 */
export async function availabilityAction(action: AvailabilityAction, user: StaffUser, owner: AvailabilityOwner, request: Request, path: string) {
	const values = readRaw(await fieldsFor(action), await request.formData());
	const result = await run(action, owner.id, values, user.id);
	if (!result.ok) return fail(400, { form: action, values: result.raw, errors: result.errors });
	redirect(303, `${path}?done=${result.changed ? action : 'unchanged'}#${SECTION[action]}`);
}
