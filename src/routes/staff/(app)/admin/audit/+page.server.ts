import { requireStaff } from '$lib/http/guard';
import { formatUkTimestamp } from '$lib/domain/uk-time';
import { auditActions, auditFilterForm, listAudit } from '$lib/server/audit';
import { parseForm } from '$lib/server/forms';
import type { PageServerLoad } from './$types';

function show(value: unknown): string {
	if (value === null || value === undefined) return 'none';
	if (typeof value === 'string') return value;
	if (Array.isArray(value) && value.every((v) => typeof v === 'string')) return value.join(', ') || 'none';
	if (typeof value === 'object' && 'from' in value && 'to' in value) return `${show(value.from)} → ${show(value.to)}`;
	return JSON.stringify(value);
}

// Read-only: the audit log has no actions, and the database refuses updates and deletes.
export const load: PageServerLoad = async (event) => {
	const user = requireStaff(event);
	const rawBefore = event.url.searchParams.get('before') ?? '';
	const before = /^\d{1,15}$/.test(rawBefore) ? Number(rawBefore) : null;
	const filterForm = auditFilterForm(await auditActions());
	const filter = await parseForm(filterForm, event.url.searchParams);
	const action = filter.ok ? filter.values.action : null;
	const { entries, nextBefore } = await listAudit({ before, action });
	return {
		filterFields: filterForm.fields,
		filterValues: { action: action ?? '' },
		action,
		before,
		nextBefore,
		entries: entries.map((e) => ({
			id: e.id,
			when: formatUkTimestamp(e.at),
			who: e.staffName ? { name: e.staffName, email: e.staffEmail } : null,
			action: e.action,
			reference: e.reference,
			programmeId: e.programmeId,
			detail: Object.entries(e.detail ?? {}).map(([key, value]) => ({ key, value: show(value) }))
		}))
	};
};
