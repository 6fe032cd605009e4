import { error, fail, redirect } from '@sveltejs/kit';
import { requireStaff } from '$lib/http/guard';
import { formatUkTimestamp } from '$lib/domain/uk-time';
import { readRaw } from '$lib/domain/fields';
import { disableStaff, enableStaff, getStaffForAdmin, staffAccessForm, unlockStaff, updateStaffAccess, type AdminChangeResult } from '$lib/server/staff/accounts';
import type { Actions, PageServerLoad } from './$types';

const DONE = ['access', 'unchanged', 'disabled', 'enabled', 'unlocked'] as const;

export const load: PageServerLoad = async (event) => {
	const user = requireStaff(event);
	const person = await getStaffForAdmin(event.params.id);
	if (!person) error(404, 'Not found');
	const isSelf = person.id === user.id;
	const form = await staffAccessForm(isSelf ? 'This is your own account: another administrator has to change your role.' : undefined);
	const done = event.url.searchParams.get('done');
	return {
		person: {
			...person,
			disabled: person.disabledAt ? formatUkTimestamp(person.disabledAt) : null,
			locked: person.lockedUntil ? formatUkTimestamp(person.lockedUntil) : null,
			created: formatUkTimestamp(person.createdAt)
		},
		isSelf,
		fields: form.fields,
		values: { role: person.role as string, programmeIds: person.programmeIds, practices: person.practices.join(', ') },
		done: (DONE as readonly string[]).includes(done ?? '') ? (done as (typeof DONE)[number]) : null
	};
};

function finish(id: string, result: AdminChangeResult, done: (typeof DONE)[number]) {
	if (!result.ok && 'notFound' in result) error(404, 'Not found');
	if (!result.ok) return result;
	redirect(303, `/staff/admin/staff/${id}?done=${result.changed.length ? done : 'unchanged'}`);
}

export const actions: Actions = {
	access: async (event) => {
		const user = requireStaff(event);
		const { fields } = await staffAccessForm();
		const values = readRaw(fields, await event.request.formData());
		const result = finish(event.params.id, await updateStaffAccess(event.params.id, values, user.id), 'access');
		return fail(400, { values, errors: result.errors });
	},
	disable: async (event) => {
		const user = requireStaff(event);
		const result = finish(event.params.id, await disableStaff(event.params.id, user.id), 'disabled');
		return fail(400, { values: null, errors: result.errors });
	},
	enable: async (event) => {
		const user = requireStaff(event);
		const result = finish(event.params.id, await enableStaff(event.params.id, user.id), 'enabled');
		return fail(400, { values: null, errors: result.errors });
	},
	unlock: async (event) => {
		const user = requireStaff(event);
		const result = finish(event.params.id, await unlockStaff(event.params.id, user.id), 'unlocked');
		return fail(400, { values: null, errors: result.errors });
	}
};
