/**
 * People's data rights (issue 24): deletion requests, the lawful reasons to refuse one, when an answer is
 * due, and how long a programme keeps data. Pure: the server (server/data-rights/*) stores and erases.
 */
import { z } from 'zod';
import { optionalText, text, type FormDefinition } from './fields';

/** UK GDPR article 17(3): the reasons a provider may keep data a person asked to have erased. */
export const ERASURE_REFUSAL_REASONS = [
	{ code: 'legal-obligation', label: 'We must keep it by law (a legal obligation)', forPerson: 'The law says we must keep it for now.' },
	{ code: 'safeguarding', label: 'Safeguarding: it is needed to keep someone safe', forPerson: 'We need it to keep you or someone else safe.' },
	{ code: 'legal-claim', label: 'An ongoing legal claim', forPerson: 'It is needed for a legal claim that is still going on.' }
] as const;
export type ErasureRefusalReason = (typeof ERASURE_REFUSAL_REASONS)[number]['code'];
export const ERASURE_REFUSAL_CODES = ERASURE_REFUSAL_REASONS.map((r) => r.code) as [ErasureRefusalReason, ...ErasureRefusalReason[]];

export function refusalReason(code: string | null | undefined) {
	return ERASURE_REFUSAL_REASONS.find((r) => r.code === code) ?? null;
}

/** One calendar month after the request (the last day of a shorter month when there is no such day). */
export function erasureDueBy(requestedOn: string): string {
	const [y, m, d] = requestedOn.split('-').map(Number);
	const next = new Date(Date.UTC(y, m, 1));
	const last = new Date(Date.UTC(next.getUTCFullYear(), next.getUTCMonth() + 1, 0)).getUTCDate();
	return `${next.getUTCFullYear()}-${String(next.getUTCMonth() + 1).padStart(2, '0')}-${String(Math.min(d, last)).padStart(2, '0')}`;
}

export const DEFAULT_RETENTION_YEARS = 3;

/** The first day a closed referral's data is past keeping: `years` after the day it closed. */
export function retentionEnds(closedOn: string, years: number): string {
	const [y, m, d] = closedOn.split('-').map(Number);
	const last = new Date(Date.UTC(y + years, m, 0)).getUTCDate();
	return `${y + years}-${String(m).padStart(2, '0')}-${String(Math.min(d, last)).padStart(2, '0')}`;
}

/** The participant's request: an optional reason, in their words. */
export const erasureRequestForm = {
	fields: [
		{
			kind: 'textarea',
			name: 'reason',
			label: 'Why do you want your data deleted? (optional)',
			hint: 'You do not have to say. It helps us improve the service. Up to 1000 characters.',
			rows: 4
		}
	],
	schema: z.object({ reason: optionalText(1000, 'Your reason must be 1000 characters or fewer') })
} satisfies FormDefinition;

/** Staff refusing a request: a lawful reason and a note for the record. */
export const erasureRefusalForm = {
	fields: [
		{
			kind: 'radios',
			name: 'refusalReason',
			label: 'Why can the data not be deleted?',
			options: ERASURE_REFUSAL_REASONS.map((r) => ({ value: r.code, label: r.label }))
		},
		{ kind: 'textarea', name: 'refusalNote', label: 'Note for the record', hint: 'What the law or the risk is, in a sentence or two. The person is told the reason, not this note.', rows: 4 }
	],
	schema: z.object({
		refusalReason: text().refine((v) => (ERASURE_REFUSAL_CODES as string[]).includes(v), 'Choose why the data cannot be deleted'),
		refusalNote: text()
			.trim()
			.refine((v) => v.length > 0, 'Enter a note for the record')
			.refine((v) => v.length <= 1000, 'The note must be 1000 characters or fewer')
	})
} satisfies FormDefinition;
