import { z } from 'zod';
import { serviceSettingsSchema } from './service-hours';

/** Employment situations the checker asks about; a programme's rules say which it accepts. */
export const EMPLOYMENT_STATUSES = {
	'out-of-work': 'I am not working at the moment',
	'off-sick': 'I have a job but I am off sick',
	'struggling-in-work': 'I am working but my health is making work hard',
	'in-work-ok': 'I am working and my health is not affecting my work'
} as const;
export type EmploymentStatus = keyof typeof EMPLOYMENT_STATUSES;
/** The same situations as staff read them (the referral page, the programme form). */
export const EMPLOYMENT_STATUS_STAFF_LABELS: Record<EmploymentStatus, string> = {
	'out-of-work': 'Not working at the moment',
	'off-sick': 'Has a job but is off sick',
	'struggling-in-work': 'Working, but their health is making work hard',
	'in-work-ok': 'Working, and their health is not affecting their work'
};
const employmentStatus = z.enum(Object.keys(EMPLOYMENT_STATUSES) as [EmploymentStatus, ...EmploymentStatus[]]);

export const PROGRAMME_KINDS = {
	'primary-care': 'IPS in primary care',
	'secondary-care': 'IPS in secondary mental health care',
	'drug-alcohol': 'IPS in drug and alcohol treatment services',
	other: 'Other IPS service'
} as const;
export type ProgrammeKind = keyof typeof PROGRAMME_KINDS;

export const eligibilityRulesSchema = z.object({
	minAge: z.number().int().min(14).max(30),
	maxAge: z.number().int().min(30).max(120).nullable().default(null),
	/** Employment situations this programme supports. */
	employmentStatuses: z.array(employmentStatus).min(1),
	/**
	 * How being under secondary mental health care counts:
	 * "signpost" (IPS primary care: point to `signpostProgrammeId`), "require" (IPS secondary care),
	 * or "ignore".
	 */
	secondaryCare: z.enum(['signpost', 'require', 'ignore']),
	signpostProgrammeId: z.string().nullable().default(null),
	/** Refuse people already on another DWP-funded employment programme (Jobcentre support is fine). */
	excludeOtherEmploymentProgrammes: z.boolean().default(true),
	requireRightToWork: z.boolean().default(true)
});
export type EligibilityRules = z.infer<typeof eligibilityRulesSchema>;

export const alternativeSchema = z.object({
	name: z.string().min(1).max(120),
	description: z.string().min(1).max(400),
	url: z.url().optional(),
	phone: z.string().max(40).optional()
});
export type Alternative = z.infer<typeof alternativeSchema>;

export const areaSchema = z.object({
	/** Postcode areas ("M", "BL") or districts ("SK14"). */
	postcodes: z.array(z.string().regex(/^[A-Z]{1,2}([0-9][A-Z0-9]?)?$/)).default([]),
	/** GP practices by NHS ODS code (a registered patient of these counts as in the area). */
	gpPractices: z.array(z.string().regex(/^[A-Z][0-9]{5}$/)).default([])
});
export type Area = z.infer<typeof areaSchema>;

export const programmeSchema = z.object({
	id: z.string().regex(/^[a-z0-9-]{2,40}$/),
	name: z.string().min(3).max(120),
	kind: z.enum(Object.keys(PROGRAMME_KINDS) as [ProgrammeKind, ...ProgrammeKind[]]),
	summary: z.string().min(3).max(600),
	area: areaSchema,
	areaDescription: z.string().min(3).max(200),
	rules: eligibilityRulesSchema,
	contactTargetWorkingDays: z.number().int().min(1).max(30),
	helpline: z.object({ phone: z.string().min(5).max(40), hours: z.string().min(3).max(200) }),
	teamEmail: z.email(),
	alternatives: z.array(alternativeSchema).default([])
});
export type Programme = z.infer<typeof programmeSchema>;

export const linkSchema = z.object({
	code: z.string().regex(/^[a-z0-9-]{2,40}$/, 'A link code uses lower-case letters, digits and dashes (2 to 40)'),
	sourceCode: z.string().min(1),
	odsCode: z.string().regex(/^[A-Z][0-9]{5}$/, 'An ODS code is a letter and five digits, like P84001').nullable().optional(),
	programmeId: z.string().nullable().optional(),
	label: z.string().min(1).max(200)
});
export type LinkDefinition = z.infer<typeof linkSchema>;

/** A programme in the seed file: the programme, and optionally its opening hours and safety settings. */
export const seedProgrammeSchema = programmeSchema.extend({ service: serviceSettingsSchema.partial().optional() });
export type SeedProgramme = z.infer<typeof seedProgrammeSchema>;

export const programmeSeedFileSchema = z
	.object({
		/** Bump when the file changes; a higher version updates programmes already in the database. */
		version: z.number().int().min(1),
		programmes: z.array(seedProgrammeSchema).min(1),
		links: z.array(linkSchema).default([])
	})
	.superRefine((file, ctx) => {
		const ids = new Set(file.programmes.map((p) => p.id));
		for (const [i, p] of file.programmes.entries()) {
			if (p.rules.secondaryCare === 'signpost' && p.rules.signpostProgrammeId && !ids.has(p.rules.signpostProgrammeId)) {
				ctx.addIssue({
					code: 'custom',
					path: ['programmes', i, 'rules', 'signpostProgrammeId'],
					message: `signpostProgrammeId "${p.rules.signpostProgrammeId}" is not a programme in this file`
				});
			}
		}
	});
export type ProgrammeSeedFile = z.infer<typeof programmeSeedFileSchema>;

/** Suggested to anyone, including people outside every programme's area. */
export const NATIONAL_ALTERNATIVES: Alternative[] = [
	{
		name: 'Jobcentre Plus',
		description: 'Your local Jobcentre can help you look for work and tell you about other support near you.',
		url: 'https://www.gov.uk/contact-jobcentre-plus',
		phone: '0800 169 0190'
	},
	{
		name: 'Access to Work',
		description: 'A grant and advice to help you start or stay in work if you have a health condition or disability.',
		url: 'https://www.gov.uk/access-to-work'
	},
	{
		name: 'NHS Talking Therapies',
		description: 'Free talking therapy for anxiety and depression, including help with work. You can refer yourself.',
		url: 'https://www.nhs.uk/service-search/mental-health/find-an-nhs-talking-therapies-service'
	},
	{
		name: 'Citizens Advice',
		description: 'Free, confidential advice about work, benefits and your rights.',
		url: 'https://www.citizensadvice.org.uk/',
		phone: '0800 144 8848'
	}
];
