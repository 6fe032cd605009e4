import { error, fail, redirect } from '@sveltejs/kit';
import { ADMINS, requireStaff } from '$lib/server/auth/guard';
import { formatUkTimestamp } from '$lib/domain/uk-time';
import { listProgrammesForAdmin } from '$lib/server/programme-admin';
import { disableStaff, enableStaff, getStaffForAdmin, readStaffForm, unlockStaff, updateStaffAccess, type AdminChangeResult } from '$lib/server/staff-admin';
import type { Actions, PageServerLoad } from './$types';

const DONE = ['access', 'unchanged', 'disabled', 'enabled', 'unlocked'] as const;

export const load: PageServerLoad = async (event) => {
	const user = requireStaff(event, ADMINS);
	const person = await getStaffForAdmin(event.params.id);
	if (!person) error(404, 'Not found');
	const programmes = await listProgrammesForAdmin();
	const done = event.url.searchParams.get('done');
	return {
		person: {
			...person,
			disabled: person.disabledAt ? formatUkTimestamp(person.disabledAt) : null,
			locked: person.lockedUntil ? formatUkTimestamp(person.lockedUntil) : null,
			created: formatUkTimestamp(person.createdAt)
		},
		isSelf: person.id === user.id,
		values: { role: person.role as string, programmeIds: person.programmeIds, practices: person.practices.join(', ') },
		programmes: programmes.map((p) => ({ id: p.id, name: p.name })),
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
		const user = requireStaff(event, ADMINS);
		const values = readStaffForm(await event.request.formData());
		const result = finish(event.params.id, await updateStaffAccess(event.params.id, values, user.id), 'access');
		return fail(400, { values: { role: values.role, programmeIds: values.programmeIds, practices: values.practices }, errors: result.errors });
	},
	disable: async (event) => {
		const user = requireStaff(event, ADMINS);
		const result = finish(event.params.id, await disableStaff(event.params.id, user.id), 'disabled');
		return fail(400, { values: null, errors: result.errors });
	},
	enable: async (event) => {
		const user = requireStaff(event, ADMINS);
		const result = finish(event.params.id, await enableStaff(event.params.id, user.id), 'enabled');
		return fail(400, { values: null, errors: result.errors });
	},
	unlock: async (event) => {
		const user = requireStaff(event, ADMINS);
		const result = finish(event.params.id, await unlockStaff(event.params.id, user.id), 'unlocked');
		return fail(400, { values: null, errors: result.errors });
	}
};
