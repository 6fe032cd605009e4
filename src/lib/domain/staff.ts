/** Staff roles and the words shown for them. */
export const ROLES = ['specialist', 'team-lead', 'admin'] as const;
export type Role = (typeof ROLES)[number];
export const ROLE_LABELS: Record<Role, string> = { specialist: 'Employment specialist', 'team-lead': 'Team lead', admin: 'Administrator' };

import type { Field } from './fields';

/** Role, programmes and GP practices: the same fields when adding a staff member and when editing one. */
export function staffAccessFields(programmes: { id: string; name: string }[], roleHint?: string): Field[] {
	return [
		{ kind: 'radios', name: 'role', label: 'Role', hint: roleHint, options: ROLES.map((value) => ({ value, label: ROLE_LABELS[value] })) },
		{
			kind: 'checkboxes',
			name: 'programmeIds',
			label: 'Programmes',
			hint: 'They see referrals for these programmes only.',
			options: programmes.map((p) => ({ value: p.id, label: p.name }))
		},
		{
			kind: 'text',
			name: 'practices',
			label: 'GP practice codes (optional)',
			hint: 'Referrals from these practices go to this person. ODS codes separated by commas, like P84001, P84004.',
			spellcheck: false
		}
	];
}
