/**
 * Wellbeing concerns as staff deal with them: the kinds, and what was done when one is marked as dealt
 * with (coded, with an optional note that stays in the portal). Pure: no I/O.
 */
import { z } from 'zod';
import { choice, optionalText, text, type Field, type FormDefinition } from '../fields';

export const CONCERN_KINDS = ['steep-fall', 'falling-trend', 'crisis'] as const;
export type ConcernKind = (typeof CONCERN_KINDS)[number];

/** What was done about a concern: the code is stored and sent to case systems, the words are for staff. */
export const CONCERN_RESOLUTIONS = {
	'spoke-to-them': 'Spoke to them',
	'no-answer': 'Tried to call, no answer',
	'passed-on': 'Passed to their GP or crisis team',
	other: 'Something else'
} as const;
export type ConcernResolution = keyof typeof CONCERN_RESOLUTIONS;
export const CONCERN_RESOLUTION_CODES = Object.keys(CONCERN_RESOLUTIONS) as ConcernResolution[];

export function isConcernResolution(value: unknown): value is ConcernResolution {
	return typeof value === 'string' && value in CONCERN_RESOLUTIONS;
}

/** "Dealt with": what was done, and a note (asked again on a confirmation step before it is saved). */
export const concernResolutionForm = {
	fields: [
		{
			kind: 'radios',
			name: 'resolution',
			label: 'What did you do?',
			options: CONCERN_RESOLUTION_CODES.map((value) => ({ value, label: CONCERN_RESOLUTIONS[value] }))
		},
		{
			kind: 'textarea',
			name: 'note',
			label: 'Note (optional)',
			hint: 'What happened and anything the team should know. It stays in the portal: it is not sent to the case system or in any email.',
			rows: 4,
			maxLength: 2000
		}
	] as Field[],
	schema: z.object({
		resolution: choice(CONCERN_RESOLUTION_CODES, 'Select what you did'),
		note: optionalText(2000, 'Note must be 2000 characters or fewer')
	})
} satisfies FormDefinition;

/** A button about one concern (acknowledging it): the concern's id travels unseen. */
export const concernIdForm = {
	fields: [{ kind: 'hidden', name: 'concernId' }] as Field[],
	schema: z.object({
		concernId: text()
			.trim()
			.regex(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i, 'This concern was not found')
	})
} satisfies FormDefinition;
