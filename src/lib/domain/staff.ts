/** Staff roles and the words shown for them. */
export const ROLES = ['specialist', 'team-lead', 'admin'] as const;
export type Role = (typeof ROLES)[number];
export const ROLE_LABELS: Record<Role, string> = { specialist: 'Employment specialist', 'team-lead': 'Team lead', admin: 'Administrator' };
