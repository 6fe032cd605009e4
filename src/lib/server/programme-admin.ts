/**
 * Programme administration: the edit form (read, validated with the programme zod schemas, written back
 * with every version kept in programme_revision and the change in the audit log).
 */
import { asc, desc, eq } from 'drizzle-orm';
import {
	EMPLOYMENT_STATUSES,
	alternativeSchema,
	programmeSchema,
	type Alternative,
	type EmploymentStatus,
	type Programme
} from '$lib/domain/programme';
import { recordAudit } from './audit';
import { getDb } from './db';
import { programme, programmeRevision, staff } from './db/schema';
import { toProgramme } from './programmes';

/** Blank rows offered under the existing alternatives, so one or two can be added per save. */
export const BLANK_ALTERNATIVE_ROWS = 2;
export const MAX_ALTERNATIVES = 12;
export const CASELOAD_CAP_MAX = 500;

/** A programme as an admin edits it: the domain programme plus the caseload cap kept on the row. */
export type EditableProgramme = Programme & { caseloadCap: number };

export interface AlternativeValues {
	name: string;
	description: string;
	url: string;
	phone: string;
}

/** The form's values as typed (strings), so a refused form shows exactly what was entered. */
export interface ProgrammeFormValues {
	version: string;
	name: string;
	summary: string;
	postcodes: string;
	gpPractices: string;
	areaDescription: string;
	minAge: string;
	maxAge: string;
	employmentStatuses: string[];
	secondaryCare: string;
	signpostProgrammeId: string;
	excludeOtherEmploymentProgrammes: string;
	requireRightToWork: string;
	contactTargetWorkingDays: string;
	caseloadCap: string;
	helplinePhone: string;
	helplineHours: string;
	teamEmail: string;
	alternatives: AlternativeValues[];
}

/** The fields in page order, for the error summary; alternatives are `alt-<n>-<part>`. */
export const PROGRAMME_FIELD_ORDER = [
	'name',
	'summary',
	'postcodes',
	'gpPractices',
	'areaDescription',
	'minAge',
	'maxAge',
	'employmentStatuses',
	'secondaryCare',
	'signpostProgrammeId',
	'excludeOtherEmploymentProgrammes',
	'requireRightToWork',
	'contactTargetWorkingDays',
	'caseloadCap',
	'helplinePhone',
	'helplineHours',
	'teamEmail'
] as const;

export async function listProgrammesForAdmin() {
	const db = await getDb();
	return db
		.select({ id: programme.id, name: programme.name, kind: programme.kind, version: programme.version, updatedAt: programme.updatedAt, seedVersion: programme.seedVersion })
		.from(programme)
		.orderBy(asc(programme.name));
}

export async function getEditableProgramme(id: string): Promise<{ programme: EditableProgramme; version: number; seedVersion: number | null } | null> {
	const db = await getDb();
	const [row] = await db.select().from(programme).where(eq(programme.id, id));
	if (!row) return null;
	return { programme: { ...toProgramme(row), caseloadCap: row.caseloadCap }, version: row.version, seedVersion: row.seedVersion };
}

export async function listRevisions(programmeId: string) {
	const db = await getDb();
	return db
		.select({ version: programmeRevision.version, at: programmeRevision.at, staffName: staff.name, staffEmail: staff.email, data: programmeRevision.data })
		.from(programmeRevision)
		.leftJoin(staff, eq(staff.id, programmeRevision.staffId))
		.where(eq(programmeRevision.programmeId, programmeId))
		.orderBy(desc(programmeRevision.version));
}

function blankAlternative(): AlternativeValues {
	return { name: '', description: '', url: '', phone: '' };
}

/** The form filled in from a stored programme, with blank rows for new alternatives. */
export function programmeFormValues(p: EditableProgramme, version: number): ProgrammeFormValues {
	return {
		version: String(version),
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
		helplinePhone: p.helpline.phone,
		helplineHours: p.helpline.hours,
		teamEmail: p.teamEmail,
		alternatives: [
			...p.alternatives.map((a) => ({ name: a.name, description: a.description, url: a.url ?? '', phone: a.phone ?? '' })),
			...Array.from({ length: BLANK_ALTERNATIVE_ROWS }, blankAlternative)
		]
	};
}

const text = (form: FormData, name: string, max = 2000) => String(form.get(name) ?? '').slice(0, max);

/** Reads the posted form as typed. Alternatives rows are numbered from 0; `altRows` says how many were offered. */
export function readProgrammeForm(form: FormData): ProgrammeFormValues {
	const rows = Math.min(Math.max(Number.parseInt(text(form, 'altRows', 4), 10) || 0, 0), MAX_ALTERNATIVES + BLANK_ALTERNATIVE_ROWS);
	return {
		version: text(form, 'version', 12).trim(),
		name: text(form, 'name', 400).trim(),
		summary: text(form, 'summary').trim(),
		postcodes: text(form, 'postcodes'),
		gpPractices: text(form, 'gpPractices'),
		areaDescription: text(form, 'areaDescription', 600).trim(),
		minAge: text(form, 'minAge', 20).trim(),
		maxAge: text(form, 'maxAge', 20).trim(),
		employmentStatuses: form.getAll('employmentStatuses').map((v) => String(v).slice(0, 40)),
		secondaryCare: text(form, 'secondaryCare', 20),
		signpostProgrammeId: text(form, 'signpostProgrammeId', 60),
		excludeOtherEmploymentProgrammes: text(form, 'excludeOtherEmploymentProgrammes', 5),
		requireRightToWork: text(form, 'requireRightToWork', 5),
		contactTargetWorkingDays: text(form, 'contactTargetWorkingDays', 20).trim(),
		caseloadCap: text(form, 'caseloadCap', 20).trim(),
		helplinePhone: text(form, 'helplinePhone', 200).trim(),
		helplineHours: text(form, 'helplineHours', 600).trim(),
		teamEmail: text(form, 'teamEmail', 400).trim(),
		alternatives: Array.from({ length: rows }, (_, i) => ({
			name: text(form, `alt-${i}-name`, 400).trim(),
			description: text(form, `alt-${i}-description`, 1200).trim(),
			url: text(form, `alt-${i}-url`, 600).trim(),
			phone: text(form, `alt-${i}-phone`, 200).trim()
		}))
	};
}

/** "M, bl\nSK14" → ["M", "BL", "SK14"]. */
export function splitCodes(value: string): string[] {
	return [...new Set(value.split(/[\s,;]+/).map((v) => v.trim().toUpperCase()).filter(Boolean))];
}

/** The same pattern as areaSchema: a postcode area ("M", "BL") or district ("SK14"). */
const POSTCODE_AREA = /^[A-Z]{1,2}([0-9][A-Z0-9]?)?$/;

function wholeNumber(value: string): number | null {
	return /^\d{1,6}$/.test(value) ? Number.parseInt(value, 10) : null;
}

export type ProgrammeFormResult = { ok: true; programme: EditableProgramme } | { ok: false; errors: Record<string, string> };

/**
 * Validates the form against the current programme (id and kind are not editable). Each field gets a
 * message in plain words; the result is then checked again with the programme zod schema.
 */
export function validateProgrammeForm(values: ProgrammeFormValues, current: Programme, programmeIds: string[]): ProgrammeFormResult {
	const errors: Record<string, string> = {};
	const { name, summary, areaDescription, helplinePhone, helplineHours, teamEmail } = values;
	if (name.length < 3 || name.length > 120) errors.name = 'Enter a name of 3 to 120 characters';
	if (summary.length < 3 || summary.length > 600) errors.summary = 'Enter a summary of 3 to 600 characters';

	const postcodes = splitCodes(values.postcodes);
	const badPostcode = postcodes.find((p) => !POSTCODE_AREA.test(p));
	if (badPostcode) errors.postcodes = `"${badPostcode}" is not a postcode area or district. Use areas like M or BL, or districts like SK14`;
	const gpPractices = splitCodes(values.gpPractices);
	const badPractice = gpPractices.find((p) => !/^[A-Z][0-9]{5}$/.test(p));
	if (badPractice) errors.gpPractices = `"${badPractice}" is not a GP practice ODS code. A code is a letter and five digits, like P84001`;
	if (!badPostcode && !badPractice && !postcodes.length && !gpPractices.length)
		errors.postcodes = 'Enter at least one postcode area or district, or a GP practice code below';
	if (areaDescription.length < 3 || areaDescription.length > 200) errors.areaDescription = 'Enter an area description of 3 to 200 characters';

	const minAge = wholeNumber(values.minAge);
	if (minAge === null || minAge < 14 || minAge > 30) errors.minAge = 'Minimum age must be a whole number from 14 to 30';
	const maxAge = values.maxAge === '' ? null : wholeNumber(values.maxAge);
	if (values.maxAge !== '' && (maxAge === null || maxAge < 30 || maxAge > 120))
		errors.maxAge = 'Maximum age must be a whole number from 30 to 120, or empty for no upper limit';
	else if (maxAge !== null && minAge !== null && maxAge < minAge) errors.maxAge = 'Maximum age must be the same as or more than the minimum age';

	const statuses = values.employmentStatuses.filter((s): s is EmploymentStatus => Object.hasOwn(EMPLOYMENT_STATUSES, s));
	if (!statuses.length || statuses.length !== values.employmentStatuses.length) errors.employmentStatuses = 'Choose at least one employment situation the programme supports';

	const secondaryCare = values.secondaryCare;
	if (secondaryCare !== 'signpost' && secondaryCare !== 'require' && secondaryCare !== 'ignore')
		errors.secondaryCare = 'Choose what happens when someone is under secondary mental health care';
	const signpostTo = values.signpostProgrammeId || null;
	if (secondaryCare === 'signpost') {
		if (!signpostTo) errors.signpostProgrammeId = 'Choose the programme to point people under secondary care to';
		else if (signpostTo === current.id || !programmeIds.includes(signpostTo)) errors.signpostProgrammeId = 'Choose another programme from the list';
	} else if (signpostTo && !programmeIds.includes(signpostTo)) errors.signpostProgrammeId = 'Choose a programme from the list';

	if (values.excludeOtherEmploymentProgrammes !== 'yes' && values.excludeOtherEmploymentProgrammes !== 'no')
		errors.excludeOtherEmploymentProgrammes = 'Choose whether people on another employment programme are refused';
	if (values.requireRightToWork !== 'yes' && values.requireRightToWork !== 'no') errors.requireRightToWork = 'Choose whether the right to work in the UK is needed';

	const contact = wholeNumber(values.contactTargetWorkingDays);
	if (contact === null || contact < 1 || contact > 30) errors.contactTargetWorkingDays = 'Contact target must be a whole number of working days from 1 to 30';
	const cap = wholeNumber(values.caseloadCap);
	if (cap === null || cap < 1 || cap > CASELOAD_CAP_MAX) errors.caseloadCap = `Caseload cap must be a whole number from 1 to ${CASELOAD_CAP_MAX}`;

	if (helplinePhone.length < 5 || helplinePhone.length > 40 || !/^[0-9+()\s-]+$/.test(helplinePhone))
		errors.helplinePhone = 'Enter a helpline phone number, like 0161 496 0000';
	if (helplineHours.length < 3 || helplineHours.length > 200) errors.helplineHours = 'Enter the helpline opening hours, 3 to 200 characters';
	if (!programmeSchema.shape.teamEmail.safeParse(teamEmail).success) errors.teamEmail = 'Enter the team email address in the correct format, like team@example.org';

	const alternatives: Alternative[] = [];
	values.alternatives.forEach((row, i) => {
		if (!row.name && !row.description && !row.url && !row.phone) return;
		const n = i + 1;
		if (!row.name || row.name.length > 120) errors[`alt-${i}-name`] = `Enter a name for alternative ${n} (up to 120 characters)`;
		if (!row.description || row.description.length > 400) errors[`alt-${i}-description`] = `Enter a description for alternative ${n} (up to 400 characters)`;
		if (row.url && (!/^https?:\/\//i.test(row.url) || !alternativeSchema.shape.url.safeParse(row.url).success))
			errors[`alt-${i}-url`] = `Enter the web address for alternative ${n} in full, starting with https://`;
		if (row.phone && (row.phone.length > 40 || !/^[0-9+()\s-]+$/.test(row.phone))) errors[`alt-${i}-phone`] = `Enter a phone number for alternative ${n}, like 0800 169 0190`;
		alternatives.push({ name: row.name, description: row.description, ...(row.url ? { url: row.url } : {}), ...(row.phone ? { phone: row.phone } : {}) });
	});
	if (alternatives.length > MAX_ALTERNATIVES) errors['alt-0-name'] = `A programme can list up to ${MAX_ALTERNATIVES} alternatives`;

	if (Object.keys(errors).length) return { ok: false, errors };

	const candidate = {
		id: current.id,
		kind: current.kind,
		name,
		summary,
		area: { postcodes, gpPractices },
		areaDescription,
		rules: {
			minAge,
			maxAge,
			employmentStatuses: statuses,
			secondaryCare,
			signpostProgrammeId: signpostTo,
			excludeOtherEmploymentProgrammes: values.excludeOtherEmploymentProgrammes === 'yes',
			requireRightToWork: values.requireRightToWork === 'yes'
		},
		contactTargetWorkingDays: contact,
		helpline: { phone: helplinePhone, hours: helplineHours },
		teamEmail,
		alternatives
	};
	// The schemas are the final word; the checks above only give plainer messages.
	const parsed = programmeSchema.safeParse(candidate);
	if (!parsed.success) {
		const issue = parsed.error.issues[0];
		const field = String(issue.path.at(-1) ?? 'name');
		return { ok: false, errors: { [PROGRAMME_FIELD_ORDER.includes(field as never) ? field : 'name']: `Check this value: ${issue.message}` } };
	}
	return { ok: true, programme: { ...parsed.data, caseloadCap: cap! } };
}

/** Dotted names of the fields that differ, e.g. ["contactTargetWorkingDays", "rules.minAge"]. */
export function changedFields(before: EditableProgramme, after: EditableProgramme): string[] {
	const flat = (p: EditableProgramme): Record<string, unknown> => ({
		name: p.name,
		summary: p.summary,
		'area.postcodes': p.area.postcodes,
		'area.gpPractices': p.area.gpPractices,
		areaDescription: p.areaDescription,
		...Object.fromEntries(Object.entries(p.rules).map(([k, v]) => [`rules.${k}`, v])),
		contactTargetWorkingDays: p.contactTargetWorkingDays,
		caseloadCap: p.caseloadCap,
		'helpline.phone': p.helpline.phone,
		'helpline.hours': p.helpline.hours,
		teamEmail: p.teamEmail,
		alternatives: p.alternatives
	});
	const a = flat(before);
	const b = flat(after);
	return Object.keys(b).filter((k) => JSON.stringify(a[k]) !== JSON.stringify(b[k]));
}

export type UpdateResult =
	| { ok: true; version: number; changed: string[] }
	| { ok: false; reason: 'not-found' | 'stale'; currentVersion?: number };

/**
 * Saves an edited programme in one transaction: locks the row, refuses it if someone saved a newer
 * version since the form was opened, raises the version, clears seed_version (so a newer seed file no
 * longer overwrites it), keeps the new data in programme_revision and writes `programme.updated` to the
 * audit log with the changed fields. The version before the first admin edit is kept as a revision too.
 * Nothing is written when nothing changed.
 */
export async function updateProgramme(id: string, next: EditableProgramme, staffId: string, expectedVersion?: number): Promise<UpdateResult> {
	const db = await getDb();
	return db.transaction(async (tx) => {
		const [row] = await tx.select().from(programme).where(eq(programme.id, id)).for('update');
		if (!row) return { ok: false, reason: 'not-found' } as const;
		if (expectedVersion !== undefined && row.version !== expectedVersion) return { ok: false, reason: 'stale', currentVersion: row.version } as const;
		const before: EditableProgramme = { ...toProgramme(row), caseloadCap: row.caseloadCap };
		const data: EditableProgramme = { ...next, id: row.id, kind: row.kind };
		const changed = changedFields(before, data);
		if (!changed.length) return { ok: true, version: row.version, changed } as const;
		const version = row.version + 1;
		await tx
			.insert(programmeRevision)
			.values({ programmeId: id, version: row.version, data: { ...before, seedVersion: row.seedVersion }, staffId: null, at: row.updatedAt })
			.onConflictDoNothing();
		await tx
			.update(programme)
			.set({
				name: data.name,
				summary: data.summary,
				area: data.area,
				areaDescription: data.areaDescription,
				rules: data.rules,
				contactTargetWorkingDays: data.contactTargetWorkingDays,
				caseloadCap: data.caseloadCap,
				helplinePhone: data.helpline.phone,
				helplineHours: data.helpline.hours,
				teamEmail: data.teamEmail,
				alternatives: data.alternatives,
				version,
				seedVersion: null,
				updatedAt: new Date()
			})
			.where(eq(programme.id, id));
		await tx.insert(programmeRevision).values({ programmeId: id, version, data: { ...data }, staffId });
		await recordAudit({ staffId, action: 'programme.updated', programmeId: id, detail: { version, changed } }, tx);
		return { ok: true, version, changed } as const;
	});
}
