/** The form that makes a Fit Note or campaign link, in the portal and with `npm run cli -- link create`. */
import { z } from 'zod';
import { text, type Field, type FormDefinition, type RawValues } from './fields';
import { SOURCES, SOURCE_CODES, isOdsPracticeCode, isSourceCode, type SourceCode } from './sources';

export const LINK_FIELD_NAMES = ['code', 'sourceCode', 'odsCode', 'programmeId', 'label'] as const;

export function linkFields(programmes: { id: string; name: string }[]): Field[] {
	return [
		{
			kind: 'text',
			name: 'code',
			label: 'Link code',
			hint: 'Lower-case letters, digits and dashes, like gp-p84001 or leaflet-bolton-2026. It becomes part of the address and cannot be changed.',
			width: 'medium',
			spellcheck: false
		},
		{
			kind: 'select',
			name: 'sourceCode',
			label: 'Source',
			hint: 'Where people using the link found it. Reports count referrals by source.',
			options: [{ value: '', label: 'Choose a source' }, ...SOURCE_CODES.map((code) => ({ value: code, label: `${SOURCES[code].staffLabel} (${code})` }))]
		},
		{
			kind: 'text',
			name: 'odsCode',
			label: 'GP practice ODS code (optional)',
			hint: "For a Fit Note or practice link: a letter and five digits, like P84001. Referrals are then routed to the practice's specialist.",
			width: 'short',
			spellcheck: false
		},
		{
			kind: 'select',
			name: 'programmeId',
			label: 'Programme (optional)',
			hint: 'Leave as "Any" to let the person\'s postcode choose the programme.',
			options: [{ value: '', label: 'Any' }, ...programmes.map((p) => ({ value: p.id, label: p.name }))]
		},
		{ kind: 'text', name: 'label', label: 'Label', hint: 'For staff only, like "Fit Note, Example Surgery".' }
	];
}

/** Codes are lower case and ODS codes upper case however they were typed; the form shows them so. */
export function normaliseLinkValues(raw: RawValues): RawValues {
	const s = (name: string) => (typeof raw[name] === 'string' ? (raw[name] as string).trim() : '');
	return { ...raw, code: s('code').toLowerCase(), sourceCode: s('sourceCode'), odsCode: s('odsCode').toUpperCase(), programmeId: s('programmeId'), label: s('label') };
}

export function linkForm(programmes: { id: string; name: string }[]) {
	const ids = programmes.map((p) => p.id);
	const schema = z.object({
		code: text()
			.trim()
			.toLowerCase()
			.regex(/^[a-z0-9-]{2,40}$/, 'Enter a link code of 2 to 40 lower-case letters, digits and dashes, like gp-p84001'),
		sourceCode: text()
			.trim()
			.refine((v): v is SourceCode => isSourceCode(v), 'Choose the source the link stands for')
			.transform((v) => v as SourceCode),
		odsCode: text()
			.trim()
			.toUpperCase()
			.refine((v) => v === '' || isOdsPracticeCode(v), 'A GP practice ODS code is a letter and five digits, like P84001')
			.transform((v) => v || null),
		programmeId: text()
			.trim()
			.refine((v) => v === '' || ids.includes(v), 'Choose a programme from the list')
			.transform((v) => v || null),
		label: text().trim().min(1, 'Enter a label, like "Fit Note, Example Surgery"').max(200, 'The label must be 200 characters or fewer')
	});
	return { fields: linkFields(programmes), schema } satisfies FormDefinition;
}

export type LinkValues = z.output<ReturnType<typeof linkForm>['schema']>;
