/**
 * The programme editor as a form: its fields (for drawing) and one zod schema that checks every field in
 * plain words, then builds the programme and checks it with the programme schema itself.
 */
import { z } from 'zod';
import { text, wholeNumberField, type Field, type FormDefinition, type RawValues } from './fields';
import { EMPLOYMENT_STATUSES, EMPLOYMENT_STATUS_STAFF_LABELS, alternativeSchema, programmeSchema, type Alternative, type EmploymentStatus, type Programme } from './programme';

/** Blank rows offered under the existing alternatives, so one or two can be added per save. */
export const BLANK_ALTERNATIVE_ROWS = 2;
export const MAX_ALTERNATIVES = 12;
export const CASELOAD_CAP_MAX = 500;

/** A programme as an admin edits it: the domain programme plus the caseload cap and retention kept on the row. */
export type EditableProgramme = Programme & { caseloadCap: number; retentionYears: number };
export const RETENTION_YEARS_MAX = 10;

const SECONDARY_CARE = [
	{ value: 'signpost', label: 'Point them to another programme (below)', hint: 'For IPS in primary care: people under a community mental health team are referred to the secondary care service.' },
	{ value: 'require', label: 'They must be under secondary mental health care', hint: 'For IPS in secondary care.' },
	{ value: 'ignore', label: 'It does not matter', hint: 'The question is not asked.' }
];
const YES_NO = [
	{ value: 'yes', label: 'Yes' },
	{ value: 'no', label: 'No' }
];

/** The headings the editor groups its fields under (alternatives follow, a fieldset each). */
export const PROGRAMME_SECTIONS: { heading: string; names: string[] }[] = [
	{ heading: 'About the programme', names: ['name', 'summary'] },
	{ heading: 'Area', names: ['postcodes', 'gpPractices', 'areaDescription'] },
	{
		heading: 'Eligibility rules',
		names: ['minAge', 'maxAge', 'employmentStatuses', 'secondaryCare', 'signpostProgrammeId', 'excludeOtherEmploymentProgrammes', 'requireRightToWork']
	},
	{ heading: 'Contact and capacity', names: ['contactTargetWorkingDays', 'caseloadCap'] },
	{ heading: 'Keeping data', names: ['retentionYears'] },
	{ heading: 'Helpline and team', names: ['helplinePhone', 'helplineHours', 'teamEmail'] }
];

export const ALTERNATIVE_PARTS = ['name', 'description', 'url', 'phone'] as const;

function alternativeFields(i: number): Field[] {
	const p = `alt-${i}`;
	return [
		{ kind: 'text', name: `${p}-name`, label: 'Name' },
		{ kind: 'textarea', name: `${p}-description`, label: 'Description', rows: 2 },
		{ kind: 'text', name: `${p}-url`, label: 'Web address (optional)', type: 'url', inputmode: 'url', spellcheck: false },
		{ kind: 'text', name: `${p}-phone`, label: 'Phone number (optional)', width: 'medium', type: 'tel', inputmode: 'tel', spellcheck: false }
	];
}

/** The editor's fields in page order; `rows` alternatives rows are offered. */
export function programmeFields(others: { id: string; name: string }[], rows: number): Field[] {
	const number = wholeNumberField;
	return [
		{ kind: 'hidden', name: 'version' },
		{ kind: 'hidden', name: 'altRows' },
		{ kind: 'text', name: 'name', label: 'Name' },
		{ kind: 'textarea', name: 'summary', label: 'Summary', hint: 'Shown to people whose answers suggest they can join. Up to 600 characters.', rows: 4 },
		{ kind: 'textarea', name: 'postcodes', label: 'Postcode areas and districts', hint: 'Separate them with commas or new lines, like M, BL, SK14.', rows: 2 },
		{
			kind: 'textarea',
			name: 'gpPractices',
			label: 'GP practice ODS codes',
			hint: 'People registered with these practices count as in the area wherever they live. A letter and five digits, like P84001.',
			rows: 2
		},
		{ kind: 'text', name: 'areaDescription', label: 'Area description', hint: 'Shown to people, like "Greater Manchester (postcodes starting M, BL, OL, SK and WN)".' },
		number('minAge', 'Minimum age', 'From 14 to 30.'),
		number('maxAge', 'Maximum age (optional)', 'Leave empty for no upper limit.'),
		{
			kind: 'checkboxes',
			name: 'employmentStatuses',
			label: 'Employment situations the programme supports',
			hint: 'Select all that apply. People in other situations are told the programme is not for them.',
			options: (Object.keys(EMPLOYMENT_STATUSES) as EmploymentStatus[]).map((value) => ({ value, label: EMPLOYMENT_STATUS_STAFF_LABELS[value] }))
		},
		{ kind: 'radios', name: 'secondaryCare', label: 'When someone is under secondary mental health care', options: SECONDARY_CARE },
		{
			kind: 'select',
			name: 'signpostProgrammeId',
			label: 'Programme to point them to',
			hint: 'Only used with "Point them to another programme".',
			options: [{ value: '', label: 'None' }, ...others.map((p) => ({ value: p.id, label: p.name }))]
		},
		{
			kind: 'radios',
			name: 'excludeOtherEmploymentProgrammes',
			label: 'Refuse people already on another DWP-funded employment programme?',
			hint: 'Jobcentre Plus support does not count.',
			options: YES_NO,
			inline: true
		},
		{ kind: 'radios', name: 'requireRightToWork', label: 'Must people have the right to work in the UK?', options: YES_NO, inline: true },
		number('contactTargetWorkingDays', 'Contact target', 'Working days from a referral to the first contact, from 1 to 30. People are told the date.', 'working days'),
		number('caseloadCap', 'Caseload cap', 'The inbox warns when a specialist holds more open referrals than this.', 'open referrals'),
		number(
			'retentionYears',
			'How long to keep data after a referral closes',
			`From 1 to ${RETENTION_YEARS_MAX} years. Then the person's data is erased; the reports keep only counts. Say the same in your privacy notice.`,
			'years'
		),
		{ kind: 'text', name: 'helplinePhone', label: 'Helpline phone number', width: 'medium', type: 'tel', inputmode: 'tel', spellcheck: false },
		{ kind: 'text', name: 'helplineHours', label: 'Helpline opening hours', hint: 'Like "Monday to Friday, 9am to 5pm (not bank holidays)".' },
		{ kind: 'text', name: 'teamEmail', label: 'Team email address', hint: "The team's shared mailbox.", type: 'email', inputmode: 'email', spellcheck: false },
		// Bounded: the page reads the count back from the posted values, whatever they were.
		...Array.from({ length: boundedRows(rows) }, (_, i) => alternativeFields(i)).flat()
	];
}

/** A count of alternatives rows, whatever was posted: a whole number from 0 to the most a form offers. */
export function boundedRows(value: unknown): number {
	return Math.min(Math.max(Math.trunc(Number(value)) || 0, 0), MAX_ALTERNATIVES + BLANK_ALTERNATIVE_ROWS);
}

/** How many alternatives rows a posted form offered (from its hidden altRows field, bounded). */
export function alternativeRows(form: FormData): number {
	const n = Number.parseInt(String(form.get('altRows') ?? '').slice(0, 4), 10) || 0;
	return Math.min(Math.max(n, 0), MAX_ALTERNATIVES + BLANK_ALTERNATIVE_ROWS);
}

/** The form filled in from a stored programme, with blank rows for new alternatives. */
export function programmeFormValues(p: EditableProgramme, version: number): RawValues {
	const rows = [...p.alternatives.map((a) => ({ name: a.name, description: a.description, url: a.url ?? '', phone: a.phone ?? '' }))];
	for (let i = 0; i < BLANK_ALTERNATIVE_ROWS; i++) rows.push({ name: '', description: '', url: '', phone: '' });
	const values: RawValues = {
		version: String(version),
		altRows: String(rows.length),
		name: p.name,
		summary: p.summary,
		postcodes: p.area.postcodes.join(', '),
		gpPractices: p.area.gpPractices.join(', '),
		areaDescription: p.areaDescription,
		minAge: String(p.rules.minAge),
		maxAge: p.rules.maxAge === null ? '' : String(p.rules.maxAge),
		employmentStatuses: [...p.rules.employmentStatuses],
		secondaryCare: p.rules.secondaryCare,
		signpostProgrammeId: p.rules.signpostProgrammeId ?? '',
		excludeOtherEmploymentProgrammes: p.rules.excludeOtherEmploymentProgrammes ? 'yes' : 'no',
		requireRightToWork: p.rules.requireRightToWork ? 'yes' : 'no',
		contactTargetWorkingDays: String(p.contactTargetWorkingDays),
		caseloadCap: String(p.caseloadCap),
		retentionYears: String(p.retentionYears),
		helplinePhone: p.helpline.phone,
		helplineHours: p.helpline.hours,
		teamEmail: p.teamEmail
	};
	rows.forEach((row, i) => {
		for (const part of ALTERNATIVE_PARTS) values[`alt-${i}-${part}`] = row[part];
	});
	return values;
}

/** "M, bl\nSK14" → ["M", "BL", "SK14"]. */
export function splitCodes(value: string): string[] {
	return [...new Set(value.split(/[\s,;]+/).map((v) => v.trim().toUpperCase()).filter(Boolean))];
}

/** The same pattern as areaSchema: a postcode area ("M", "BL") or district ("SK14"). */
const POSTCODE_AREA = /^[A-Z]{1,2}([0-9][A-Z0-9]?)?$/;
const PHONE = /^[0-9+()\s-]+$/;
const ODS = /^[A-Z][0-9]{5}$/;

const trimmed = () => text().trim();
const lengthBetween = (min: number, max: number, message: string) => trimmed().refine((v) => v.length >= min && v.length <= max, message);
const wholeNumber = (min: number, max: number, message: string) =>
	trimmed()
		.refine((v) => /^\d{1,6}$/.test(v) && Number(v) >= min && Number(v) <= max, message)
		.transform(Number);
const codes = (valid: RegExp, message: (bad: string) => string) =>
	text()
		.transform(splitCodes)
		.superRefine((list, ctx) => {
			const bad = list.find((c) => !valid.test(c));
			if (bad) ctx.addIssue({ code: 'custom', message: message(bad) });
		});
const yesNo = (message: string) =>
	text()
		.refine((v) => v === 'yes' || v === 'no', message)
		.transform((v) => v === 'yes');

/**
 * The editor's form for one programme (id and kind are not editable). `programmeIds` are those a
 * programme may point people to. The output is the programme to save and the version the form was opened at.
 */
export function programmeForm(current: Programme, programmeIds: string[], others: { id: string; name: string }[], rows: number) {
	const alternatives: Record<string, z.ZodType> = {};
	for (let i = 0; i < rows; i++) for (const part of ALTERNATIVE_PARTS) alternatives[`alt-${i}-${part}`] = trimmed();

	const schema = z
		.object({
			version: text().transform((v) => (/^\d{1,9}$/.test(v.trim()) ? Number(v.trim()) : undefined)),
			name: lengthBetween(3, 120, 'Enter a name of 3 to 120 characters'),
			summary: lengthBetween(3, 600, 'Enter a summary of 3 to 600 characters'),
			postcodes: codes(POSTCODE_AREA, (bad) => `"${bad}" is not a postcode area or district. Use areas like M or BL, or districts like SK14`),
			gpPractices: codes(ODS, (bad) => `"${bad}" is not a GP practice ODS code. A code is a letter and five digits, like P84001`),
			areaDescription: lengthBetween(3, 200, 'Enter an area description of 3 to 200 characters'),
			minAge: wholeNumber(14, 30, 'Minimum age must be a whole number from 14 to 30'),
			maxAge: text()
				.trim()
				.refine((v) => v === '' || (/^\d{1,6}$/.test(v) && Number(v) >= 30 && Number(v) <= 120), 'Maximum age must be a whole number from 30 to 120, or empty for no upper limit')
				.transform((v) => (v === '' ? null : Number(v))),
			employmentStatuses: z
				.array(text())
				.refine((vs) => vs.length > 0 && vs.every((s) => Object.hasOwn(EMPLOYMENT_STATUSES, s)), 'Choose at least one employment situation the programme supports')
				.transform((vs) => [...new Set(vs)] as EmploymentStatus[]),
			secondaryCare: text()
				.refine((v) => v === 'signpost' || v === 'require' || v === 'ignore', 'Choose what happens when someone is under secondary mental health care')
				.transform((v) => v as 'signpost' | 'require' | 'ignore'),
			signpostProgrammeId: text().transform((v) => v || null),
			excludeOtherEmploymentProgrammes: yesNo('Choose whether people on another employment programme are refused'),
			requireRightToWork: yesNo('Choose whether the right to work in the UK is needed'),
			contactTargetWorkingDays: wholeNumber(1, 30, 'Contact target must be a whole number of working days from 1 to 30'),
			caseloadCap: wholeNumber(1, CASELOAD_CAP_MAX, `Caseload cap must be a whole number from 1 to ${CASELOAD_CAP_MAX}`),
			retentionYears: wholeNumber(1, RETENTION_YEARS_MAX, `How long to keep data must be a whole number of years from 1 to ${RETENTION_YEARS_MAX}`),
			helplinePhone: trimmed().refine((v) => v.length >= 5 && v.length <= 40 && PHONE.test(v), 'Enter a helpline phone number, like 0161 496 0000'),
			helplineHours: lengthBetween(3, 200, 'Enter the helpline opening hours, 3 to 200 characters'),
			teamEmail: trimmed().refine((v) => programmeSchema.shape.teamEmail.safeParse(v).success, 'Enter the team email address in the correct format, like team@example.org'),
			...alternatives
		})
		.superRefine((v, ctx) => {
			const issue = (path: string, message: string) => ctx.addIssue({ code: 'custom', path: [path], message });
			// The object's checks run even when a field failed: a failed list is then not a list.
			const validCodes = (list: unknown, valid: RegExp) => Array.isArray(list) && list.every((c) => valid.test(c));
			if (validCodes(v.postcodes, POSTCODE_AREA) && validCodes(v.gpPractices, ODS) && !v.postcodes.length && !v.gpPractices.length)
				issue('postcodes', 'Enter at least one postcode area or district, or a GP practice code below');
			if (typeof v.minAge === 'number' && typeof v.maxAge === 'number' && v.maxAge < v.minAge)
				issue('maxAge', 'Maximum age must be the same as or more than the minimum age');
			const to = v.signpostProgrammeId;
			if (v.secondaryCare === 'signpost') {
				if (!to) issue('signpostProgrammeId', 'Choose the programme to point people under secondary care to');
				else if (to === current.id || !programmeIds.includes(to)) issue('signpostProgrammeId', 'Choose another programme from the list');
			} else if (to && !programmeIds.includes(to)) issue('signpostProgrammeId', 'Choose a programme from the list');

			const values = v as unknown as Record<string, string>;
			let listed = 0;
			for (let i = 0; i < rows; i++) {
				const [name, description, url, phone] = ALTERNATIVE_PARTS.map((part) => values[`alt-${i}-${part}`] ?? '');
				if (!name && !description && !url && !phone) continue;
				listed++;
				const n = i + 1;
				if (!name || name.length > 120) issue(`alt-${i}-name`, `Enter a name for alternative ${n} (up to 120 characters)`);
				if (!description || description.length > 400) issue(`alt-${i}-description`, `Enter a description for alternative ${n} (up to 400 characters)`);
				if (url && (!/^https?:\/\//i.test(url) || !alternativeSchema.shape.url.safeParse(url).success))
					issue(`alt-${i}-url`, `Enter the web address for alternative ${n} in full, starting with https://`);
				if (phone && (phone.length > 40 || !PHONE.test(phone))) issue(`alt-${i}-phone`, `Enter a phone number for alternative ${n}, like 0800 169 0190`);
			}
			if (listed > MAX_ALTERNATIVES) issue('alt-0-name', `A programme can list up to ${MAX_ALTERNATIVES} alternatives`);
		})
		.transform((v, ctx) => {
			const values = v as unknown as Record<string, string>;
			const alternatives: Alternative[] = [];
			for (let i = 0; i < rows; i++) {
				const [name, description, url, phone] = ALTERNATIVE_PARTS.map((part) => values[`alt-${i}-${part}`] ?? '');
				if (name || description || url || phone) alternatives.push({ name, description, ...(url ? { url } : {}), ...(phone ? { phone } : {}) });
			}
			// The programme schema is the final word; the checks above give the plain messages.
			const parsed = programmeSchema.safeParse({
				id: current.id,
				kind: current.kind,
				name: v.name,
				summary: v.summary,
				area: { postcodes: v.postcodes, gpPractices: v.gpPractices },
				areaDescription: v.areaDescription,
				rules: {
					minAge: v.minAge,
					maxAge: v.maxAge,
					employmentStatuses: v.employmentStatuses,
					secondaryCare: v.secondaryCare,
					signpostProgrammeId: v.signpostProgrammeId,
					excludeOtherEmploymentProgrammes: v.excludeOtherEmploymentProgrammes,
					requireRightToWork: v.requireRightToWork
				},
				contactTargetWorkingDays: v.contactTargetWorkingDays,
				helpline: { phone: v.helplinePhone, hours: v.helplineHours },
				teamEmail: v.teamEmail,
				alternatives
			});
			if (!parsed.success) {
				const issue = parsed.error.issues[0];
				const field = String(issue.path.at(-1) ?? 'name');
				ctx.addIssue({ code: 'custom', path: [PROGRAMME_FIELD_NAMES.includes(field) ? field : 'name'], message: `Check this value: ${issue.message}` });
				return z.NEVER;
			}
			return { version: v.version, programme: { ...parsed.data, caseloadCap: v.caseloadCap, retentionYears: v.retentionYears } as EditableProgramme };
		});
	return { fields: programmeFields(others, rows), schema } satisfies FormDefinition;
}

const PROGRAMME_FIELD_NAMES = PROGRAMME_SECTIONS.flatMap((s) => s.names);
