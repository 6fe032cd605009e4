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

/** A new account: email and name, the access fields, and the initial password. */
export function staffAccountFields(programmes: { id: string; name: string }[]): Field[] {
	return [
		{ kind: 'text', name: 'email', label: 'Email address', hint: 'Their work email address. They sign in with it.', type: 'email', spellcheck: false },
		{ kind: 'text', name: 'name', label: 'Full name', spellcheck: false },
		...staffAccessFields(programmes),
		{
			kind: 'password',
			name: 'password',
			label: 'Initial password',
			hint: '12 characters or more. Give it to them separately from the authenticator details.',
			autocomplete: 'new-password'
		}
	];
}

/** "p84001, P84004" → ["P84001", "P84004"]. */
export function splitPractices(value: string): string[] {
	return [...new Set(value.split(/[\s,;]+/).map((v) => v.trim().toUpperCase()).filter(Boolean))];
}
