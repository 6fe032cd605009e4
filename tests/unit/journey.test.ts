import { describe, it, expect } from 'vitest';
import { CONSENTS, CONSENT_PERSON_LABELS } from '../../src/lib/domain/consents';
import { ELIGIBILITY_QUESTIONS } from '../../src/lib/domain/eligibility';
import { rawFromAnswers, validate, type RawValues } from '../../src/lib/domain/fields';
import {
	CHECK_PAGES,
	MORE_PAGES,
	REFER_PAGES,
	checkPageId,
	morePath,
	questionCount,
	describeAnswer,
	findPage,
	isAnswered,
	referPath,
	type Flow,
	type QuestionPage,
	type SchemaContext
} from '../../src/lib/domain/journey';
import { SOURCES } from '../../src/lib/domain/sources';

const TODAY = '2026-11-23';
const NOW = '2026-11-23T10:00:00.000Z';
const ctx: SchemaContext = { today: TODAY, now: () => NOW };

function page(flow: Flow, id: string): QuestionPage {
	const p = findPage(flow, id);
	if (!p) throw new Error(`no page ${flow}/${id}`);
	return p;
}

/** Validates raw form values against a page, as the server does. */
function run(flow: Flow, id: string, raw: RawValues) {
	const p = page(flow, id);
	return validate(p.schema(ctx), p.fields, raw);
}

function ok(flow: Flow, id: string, raw: RawValues) {
	const r = run(flow, id, raw);
	expect(r.errors).toEqual({});
	expect(r.ok).toBe(true);
	return r.values;
}

function errors(flow: Flow, id: string, raw: RawValues) {
	const r = run(flow, id, raw);
	expect(r.ok).toBe(false);
	return r.errors;
}

const given = (version: string) => ({ given: true, version, at: NOW });
const refused = (version: string) => ({ given: false, version, at: NOW });

describe('page lists', () => {
	it('has one check page per eligibility question, in the same order, the exclusion and routing questions on one page', () => {
		const combined: string[] = ['secondary-care', 'other-programme', 'right-to-work'];
		expect(CHECK_PAGES.map((p) => p.id)).toEqual([...ELIGIBILITY_QUESTIONS.filter((q) => !combined.includes(q)), 'circumstances', 'not-sure']);
		for (const p of CHECK_PAGES) expect(p.flow).toBe('check');
		for (const q of ELIGIBILITY_QUESTIONS) expect(checkPageId(q, {})).toBe(combined.includes(q) ? 'circumstances' : q);
	});

	it('has unique ids and field names', () => {
		for (const pages of [CHECK_PAGES, REFER_PAGES, MORE_PAGES]) {
			expect(new Set(pages.map((p) => p.id)).size).toBe(pages.length);
			const names = pages.flatMap((p) => p.fields.map((f) => f.name));
			expect(new Set(names).size).toBe(names.length);
		}
		for (const p of REFER_PAGES) expect(p.flow).toBe('refer');
		for (const p of MORE_PAGES) expect(p.flow).toBe('more');
		const everywhere = [...CHECK_PAGES, ...REFER_PAGES, ...MORE_PAGES].flatMap((p) => [...p.fields, ...(p.derived ?? [])].map((f) => f.name));
		expect(new Set(everywhere).size).toBe(everywhere.length);
	});

	it('gives every page a heading, summary label and at least one field', () => {
		for (const p of [...CHECK_PAGES, ...REFER_PAGES, ...MORE_PAGES]) {
			expect(p.heading.length).toBeGreaterThan(3);
			expect(p.summaryLabel.length).toBeGreaterThan(3);
			expect(p.fields.length).toBeGreaterThan(0);
		}
	});

	it('gives every checkbox and radio option a unique value', () => {
		for (const p of [...CHECK_PAGES, ...REFER_PAGES, ...MORE_PAGES])
			for (const f of p.fields)
				if (f.kind === 'radios' || f.kind === 'checkboxes') expect(new Set(f.options.map((o) => o.value)).size).toBe(f.options.length);
	});

	it('finds pages by flow and id', () => {
		expect(findPage('check', 'postcode')?.heading).toBe('What is your postcode?');
		expect(findPage('refer', 'your-details')?.id).toBe('your-details');
		expect(findPage('more', 'condition')?.id).toBe('condition');
		expect(findPage('refer', 'condition')).toBeUndefined();
		expect(findPage('check', 'your-details')).toBeUndefined();
		expect(findPage('refer', 'postcode')).toBeUndefined();
	});
});

describe('check pages', () => {
	it('postcode', () => {
		expect(ok('check', 'postcode', { postcode: ' m1 1ae' })).toEqual({ postcode: 'M1 1AE' });
		expect(errors('check', 'postcode', { postcode: '' })).toEqual({ postcode: 'Enter your postcode' });
		expect(errors('check', 'postcode', { postcode: 'Manchester' })).toEqual({ postcode: 'Enter a real postcode, like M1 1AE' });
	});

	it('date of birth', () => {
		expect(ok('check', 'date-of-birth', { dateOfBirth: { day: '27', month: '3', year: '1985' } })).toEqual({ dateOfBirth: '1985-03-27' });
		expect(errors('check', 'date-of-birth', { dateOfBirth: { day: '', month: '', year: '' } })).toEqual({ dateOfBirth: 'Enter your date of birth' });
		expect(errors('check', 'date-of-birth', { dateOfBirth: { day: '27', month: '', year: '1985' } })).toEqual({
			dateOfBirth: 'Date of birth must include a month'
		});
		expect(errors('check', 'date-of-birth', { dateOfBirth: { day: '30', month: '2', year: '1985' } })).toEqual({
			dateOfBirth: 'Date of birth must be a real date, like 27 3 1985'
		});
		expect(errors('check', 'date-of-birth', { dateOfBirth: { day: '1', month: '1', year: '2027' } })).toEqual({
			dateOfBirth: 'Date of birth must be in the past'
		});
	});

	for (const [id, name] of [
		['health-condition', 'healthCondition'],
		['wants-work', 'wantsWork']
	] as const) {
		it(`${id} takes yes, no or not sure`, () => {
			for (const v of ['yes', 'no', 'not-sure']) expect(ok('check', id, { [name]: v })).toEqual({ [name]: v });
			expect(errors('check', id, { [name]: '' })).toEqual({ [name]: 'Select yes, no or I’m not sure' });
			expect(errors('check', id, { [name]: 'maybe' })).toEqual({ [name]: 'Select yes, no or I’m not sure' });
		});
	}

	it('employment', () => {
		for (const v of ['out-of-work', 'off-sick', 'struggling-in-work', 'in-work-ok']) expect(ok('check', 'employment', { employment: v })).toEqual({ employment: v });
		expect(errors('check', 'employment', { employment: '' })).toEqual({ employment: 'Select what best describes you at the moment' });
		expect(errors('check', 'employment', { employment: 'retired' })).toEqual({ employment: 'Select what best describes you at the moment' });
	});
	it('circumstances: none of these is exclusive, and at least one box is needed', () => {
		expect(ok('check', 'circumstances', { circumstances: ['none'] })).toEqual({ circumstances: ['none'] });
		expect(ok('check', 'circumstances', { circumstances: ['secondary-care', 'not-sure'] })).toEqual({ circumstances: ['secondary-care', 'not-sure'] });
		expect(errors('check', 'circumstances', { circumstances: [] })).toEqual({ circumstances: 'Select the ones that apply to you, or select none of these' });
		expect(errors('check', 'circumstances', { circumstances: ['none', 'other-programme'] })).toEqual({
			circumstances: 'Select the ones that apply to you, or select none of these, not both'
		});
		expect(ok('check', 'not-sure', { notSureAbout: ['no-right-to-work'] })).toEqual({ notSureAbout: ['no-right-to-work'] });
		expect(errors('check', 'not-sure', { notSureAbout: [] })).toEqual({ notSureAbout: 'Select at least one thing you are not sure about' });
	});
});

describe('refer pages', () => {
	it('your details: a name, and a phone number or an email address', () => {
		const base = { givenName: ' Ann ', familyName: 'Lee', preferredName: '' };
		expect(ok('refer', 'your-details', { ...base, phone: '07700 900 982', email: '' })).toEqual({
			givenName: 'Ann',
			familyName: 'Lee',
			preferredName: null,
			phone: '07700900982',
			email: null
		});
		expect(ok('refer', 'your-details', { ...base, preferredName: 'Annie', phone: '', email: 'Ann@Example.com' })).toMatchObject({ preferredName: 'Annie', phone: null, email: 'ann@example.com' });
		expect(errors('refer', 'your-details', { givenName: '', familyName: '', preferredName: '', phone: '', email: '' })).toEqual({
			givenName: 'Enter your first name',
			familyName: 'Enter your last name',
			phone: 'Enter a phone number or an email address'
		});
		expect(errors('refer', 'your-details', { ...base, givenName: 'x'.repeat(101), phone: '123', email: 'ann' })).toEqual({
			givenName: 'First name must be 100 characters or fewer',
			phone: 'Enter a UK phone number, like 07700 900 982 or 0161 496 0000',
			email: 'Enter an email address in the correct format, like name@example.com'
		});
	});

	it('contact preferences: ways, times (any time is exclusive), messages and post', () => {
		const good = { contactChannels: ['phone', 'email', 'phone'], bestTimes: ['weekday-evening', 'weekend'], messagesMayNameService: 'no', postAllowed: 'yes' };
		expect(ok('refer', 'contact-preferences', good)).toEqual({
			contactChannels: ['phone', 'email'],
			bestTimes: ['weekday-evening', 'weekend'],
			messagesMayNameService: 'no',
			postAllowed: 'yes'
		});
		expect(ok('refer', 'contact-preferences', { ...good, bestTimes: ['any'] }).bestTimes).toEqual(['any']);
		expect(errors('refer', 'contact-preferences', { contactChannels: [], bestTimes: [], messagesMayNameService: '', postAllowed: '' })).toEqual({
			contactChannels: 'Select at least one way we can contact you',
			bestTimes: 'Select at least one time, or select any time',
			messagesMayNameService: 'Select yes if we can leave a message that says who we are, or no',
			postAllowed: 'Select yes if we can send you letters, or no'
		});
		expect(errors('refer', 'contact-preferences', { ...good, contactChannels: ['pigeon'], bestTimes: ['any', 'weekend'], messagesMayNameService: 'not-sure' })).toEqual({
			contactChannels: 'Select how you would like us to contact you',
			bestTimes: 'Select times, or select any time, not both',
			messagesMayNameService: 'Select yes if we can leave a message that says who we are, or no'
		});
		expect(errors('refer', 'contact-preferences', { ...good, bestTimes: ['midnight'] })).toEqual({ bestTimes: 'Select when is best' });
	});

	it('condition (optional, after sending)', () => {
		expect(ok('more', 'condition', { conditionDescription: ' Back pain ' })).toEqual({ conditionDescription: 'Back pain' });
		expect(ok('more', 'condition', { conditionDescription: '   ' })).toEqual({ conditionDescription: null });
		expect(errors('more', 'condition', { conditionDescription: 'x'.repeat(2001) })).toEqual({
			conditionDescription: 'Your answer must be 2,000 characters or fewer'
		});
		expect(ok('more', 'condition', { conditionDescription: 'x'.repeat(2000) }).conditionDescription).toHaveLength(2000);
	});

	it('condition types (optional): prefer not to say is exclusive', () => {
		expect(ok('more', 'condition-types', { conditionCategories: [] })).toEqual({ conditionCategories: [] });
		expect(ok('more', 'condition-types', { conditionCategories: ['mental-health', 'musculoskeletal'] })).toEqual({
			conditionCategories: ['mental-health', 'musculoskeletal']
		});
		expect(errors('more', 'condition-types', { conditionCategories: ['mental-health', 'prefer-not-to-say'] })).toEqual({
			conditionCategories: 'Select kinds of condition, or select I prefer not to say, not both'
		});
		expect(errors('more', 'condition-types', { conditionCategories: ['flu'] })).toEqual({ conditionCategories: 'Select the kinds of condition' });
	});

	it('daily life (optional)', () => {
		expect(ok('more', 'daily-life', { dailyImpact: '' })).toEqual({ dailyImpact: null });
		expect(ok('more', 'daily-life', { dailyImpact: 'a-lot' })).toEqual({ dailyImpact: 'a-lot' });
		expect(errors('more', 'daily-life', { dailyImpact: 'some' })).toEqual({ dailyImpact: 'Select an answer' });
	});

	it('employer (optional)', () => {
		expect(ok('more', 'employer', { employerName: '', jobTitle: '' })).toEqual({ employerName: null, jobTitle: null });
		expect(ok('more', 'employer', { employerName: 'Acme', jobTitle: 'Driver' })).toEqual({ employerName: 'Acme', jobTitle: 'Driver' });
		expect(errors('more', 'employer', { employerName: 'x'.repeat(201), jobTitle: '' })).toEqual({
			employerName: 'Employer name must be 200 characters or fewer'
		});
	});

	it('job goals (optional)', () => {
		expect(ok('more', 'job-goals', { jobGoals: '' })).toEqual({ jobGoals: null });
		expect(ok('more', 'job-goals', { jobGoals: 'Gardening' })).toEqual({ jobGoals: 'Gardening' });
		expect(errors('more', 'job-goals', { jobGoals: 'x'.repeat(1001) })).toEqual({ jobGoals: 'Your answer must be 1,000 characters or fewer' });
	});

	it('communication needs an interpreter language when an interpreter is asked for', () => {
		expect(ok('refer', 'communication', { communicationNeeds: [], interpreterLanguage: '' })).toEqual({ communicationNeeds: [], interpreterLanguage: null });
		expect(ok('refer', 'communication', { communicationNeeds: ['interpreter', 'large-print'], interpreterLanguage: 'Polish' })).toEqual({
			communicationNeeds: ['interpreter', 'large-print'],
			interpreterLanguage: 'Polish'
		});
		expect(errors('refer', 'communication', { communicationNeeds: ['interpreter'], interpreterLanguage: ' ' })).toEqual({
			interpreterLanguage: 'Enter the language you need an interpreter for'
		});
		expect(errors('refer', 'communication', { communicationNeeds: ['bsl', 'none'], interpreterLanguage: '' })).toEqual({
			communicationNeeds: 'Select the help you need, or select I do not need any of these, not both'
		});
		expect(errors('refer', 'communication', { communicationNeeds: ['telepathy'], interpreterLanguage: '' })).toEqual({
			communicationNeeds: 'Select the help you need'
		});
	});

	it('NHS number (optional) needs a valid number and consent to use it', () => {
		const v = CONSENTS.nhsNumber.version;
		expect(ok('more', 'nhs-number', { nhsNumber: '', consentNhsNumber: '' })).toEqual({ nhsNumber: null, consentNhsNumber: refused(v) });
		expect(ok('more', 'nhs-number', { nhsNumber: '943 476 5919', consentNhsNumber: 'yes' })).toEqual({
			nhsNumber: '9434765919',
			consentNhsNumber: given(v)
		});
		expect(ok('more', 'nhs-number', { nhsNumber: '943-476-5919', consentNhsNumber: 'yes' }).nhsNumber).toBe('9434765919');
		expect(errors('more', 'nhs-number', { nhsNumber: '943 476 5918', consentNhsNumber: 'yes' })).toEqual({
			nhsNumber: 'Enter a valid NHS number, 10 digits like 943 476 5919'
		});
		expect(errors('more', 'nhs-number', { nhsNumber: '12345', consentNhsNumber: 'yes' })).toEqual({
			nhsNumber: 'Enter a valid NHS number, 10 digits like 943 476 5919'
		});
		expect(errors('more', 'nhs-number', { nhsNumber: '9434765919', consentNhsNumber: '' })).toEqual({
			consentNhsNumber: 'Tick the box to agree to us using your NHS number, or leave the number blank'
		});
	});

	it('heard from offers only askable sources', () => {
		const field = page('refer', 'heard-from').fields[0];
		expect(field.kind).toBe('radios');
		if (field.kind !== 'radios') return;
		const offered = field.options.map((o) => o.value);
		expect(offered).toContain('gp-practice');
		expect(offered).toContain('other');
		expect(offered).not.toContain('text-campaign');
		expect(offered).not.toContain('other-campaign');
		for (const o of field.options) expect(o.label).toBe(SOURCES[o.value as keyof typeof SOURCES].label);

		expect(ok('refer', 'heard-from', { heardFrom: 'leaflet', heardFromDetail: '' })).toEqual({ heardFrom: 'leaflet', heardFromDetail: null });
		expect(ok('refer', 'heard-from', { heardFrom: 'other', heardFromDetail: 'A podcast' })).toEqual({ heardFrom: 'other', heardFromDetail: 'A podcast' });
		expect(errors('refer', 'heard-from', { heardFrom: '', heardFromDetail: '' })).toEqual({ heardFrom: 'Select how you heard about this service' });
		expect(errors('refer', 'heard-from', { heardFrom: 'text-campaign', heardFromDetail: '' })).toEqual({ heardFrom: 'Select how you heard about this service' });
		expect(errors('refer', 'heard-from', { heardFrom: 'other', heardFromDetail: 'x'.repeat(201) })).toEqual({
			heardFromDetail: 'Your answer must be 200 characters or fewer'
		});
	});

	it('referrer contact (optional)', () => {
		for (const v of ['yes', 'no', 'no-referrer']) expect(ok('more', 'referrer-contact', { contactReferrer: v })).toEqual({ contactReferrer: v });
		expect(ok('more', 'referrer-contact', { contactReferrer: '' })).toEqual({ contactReferrer: null });
		expect(errors('more', 'referrer-contact', { contactReferrer: 'maybe' })).toEqual({ contactReferrer: 'Select yes, no or nobody referred me' });
	});

	it('pronouns (optional)', () => {
		expect(ok('more', 'pronouns', { pronouns: '' })).toEqual({ pronouns: null });
		expect(ok('more', 'pronouns', { pronouns: 'she/her' })).toEqual({ pronouns: 'she/her' });
		expect(errors('more', 'pronouns', { pronouns: 'x'.repeat(41) })).toEqual({ pronouns: 'Pronouns must be 40 characters or fewer' });
	});

	it('equality monitoring (optional)', () => {
		expect(ok('more', 'equality', { gender: '', ethnicity: '' })).toEqual({ gender: null, ethnicity: null });
		expect(ok('more', 'equality', { gender: 'prefer-not-to-say', ethnicity: 'white' })).toEqual({ gender: 'prefer-not-to-say', ethnicity: 'white' });
		expect(errors('more', 'equality', { gender: 'x', ethnicity: 'y' })).toEqual({
			gender: 'Select your gender, or I prefer not to say',
			ethnicity: 'Select your ethnic group, or I prefer not to say'
		});
	});

	it('one consent page: processing is required, the others optional, each with its version', () => {
		expect(ok('refer', 'consent', { consentProcessing: 'yes', consentReferrerUpdates: 'yes', consentEvaluation: '', consentTextReminders: 'yes' })).toEqual({
			consentProcessing: given(CONSENTS.processing.version),
			consentReferrerUpdates: given(CONSENTS.referrerUpdates.version),
			consentEvaluation: refused(CONSENTS.evaluation.version),
			consentTextReminders: given(CONSENTS.textReminders.version)
		});
		expect(ok('refer', 'consent', { consentProcessing: 'yes', consentReferrerUpdates: '', consentEvaluation: '', consentTextReminders: '' })).toEqual({
			consentProcessing: given(CONSENTS.processing.version),
			consentReferrerUpdates: refused(CONSENTS.referrerUpdates.version),
			consentEvaluation: refused(CONSENTS.evaluation.version),
			consentTextReminders: refused(CONSENTS.textReminders.version)
		});
		expect(errors('refer', 'consent', { consentProcessing: '', consentReferrerUpdates: 'yes', consentEvaluation: '', consentTextReminders: '' })).toEqual({
			consentProcessing: 'Tick the first box to agree, so we can look at your referral'
		});
	});

	it('every refer page rejects empty input or accepts it only when optional', () => {
		for (const p of [...REFER_PAGES, ...MORE_PAGES]) {
			const empty = rawFromAnswers(p.fields, {});
			const r = validate(p.schema(ctx), p.fields, empty);
			if (p.optional) expect(r.ok, p.id).toBe(true);
			else expect(r.ok, p.id).toBe(false);
		}
		for (const p of MORE_PAGES) expect(p.optional, p.id).toBe(true);
		for (const p of CHECK_PAGES) {
			expect(validate(p.schema(ctx), p.fields, rawFromAnswers(p.fields, {})).ok, p.id).toBe(false);
		}
	});
});

describe('referPath and morePath', () => {
	const ids = (answers: Record<string, unknown>, hasSource: boolean) => referPath({ answers, hasSource }).map((p) => p.id);
	const more = (answers: Record<string, unknown>) => morePath({ answers, hasSource: true }).map((p) => p.id);

	it('shows the employer page (after sending) only to people in work', () => {
		expect(more({ employment: 'off-sick' })).toContain('employer');
		expect(more({ employment: 'struggling-in-work' })).toContain('employer');
		expect(more({ employment: 'out-of-work' })).not.toContain('employer');
		expect(more({})).not.toContain('employer');
	});

	it('asks before sending only the name, contact, communication, source and consent pages', () => {
		expect(ids({}, true)).toEqual(['your-details', 'contact-preferences', 'communication', 'consent']);
		expect(questionCount(true)).toEqual({ check: 6, refer: 4 });
		expect(questionCount(false)).toEqual({ check: 6, refer: 5 });
	});

	it('asks how the person heard about the service only when there is no source', () => {
		expect(ids({}, false)).toContain('heard-from');
		expect(ids({}, true)).not.toContain('heard-from');
	});

	it('keeps the page order and leaves out only the conditional pages', () => {
		const all = REFER_PAGES.map((p) => p.id);
		expect(ids({ employment: 'off-sick' }, false)).toEqual(all);
		expect(ids({ employment: 'out-of-work' }, true)).toEqual(all.filter((id) => id !== 'heard-from'));
		expect(more({ employment: 'off-sick' })).toEqual(MORE_PAGES.map((p) => p.id));
	});
});

describe('isAnswered', () => {
	it('checks the flow and id', () => {
		const answered = new Set(['refer/your-details', 'check/postcode']);
		expect(isAnswered(page('refer', 'your-details'), answered)).toBe(true);
		expect(isAnswered(page('check', 'postcode'), answered)).toBe(true);
		expect(isAnswered(page('refer', 'contact-preferences'), answered)).toBe(false);
	});
});

describe('describeAnswer', () => {
	it('shows radio labels', () => {
		expect(describeAnswer(page('check', 'wants-work'), { wantsWork: 'not-sure' })).toEqual(['I’m not sure']);
		expect(describeAnswer(page('check', 'employment'), { employment: 'off-sick' })).toEqual(['I have a job but I am off sick']);
	});
	it('tells staff the answers in staff words, and the person in their own', () => {
		expect(describeAnswer(page('check', 'wants-work'), { wantsWork: 'not-sure' }, 'staff')).toEqual(['Not sure']);
		expect(describeAnswer(page('check', 'employment'), { employment: 'off-sick' }, 'staff')).toEqual(['Has a job but is off sick']);
		expect(describeAnswer(page('more', 'equality'), { gender: 'self-describe', ethnicity: 'prefer-not-to-say' }, 'staff')).toEqual([
			'Describes themselves another way',
			'Prefers not to say'
		]);
		expect(describeAnswer(page('refer', 'heard-from'), { heardFrom: 'fit-note' }, 'staff')).toEqual(['Fit Note link or QR code']);
		expect(describeAnswer(page('refer', 'heard-from'), { heardFrom: 'fit-note' })).toEqual(['A link or QR code on my fit note']);
		const consents = { consentReferrerUpdates: { given: true }, consentEvaluation: { given: false }, consentTextReminders: { given: true } };
		expect(describeAnswer(page('refer', 'consent'), { consentProcessing: { given: true }, ...consents }, 'staff')).toEqual([
			'Yes: Use of their information to support the referral (required)',
			'Yes: Updates to their GP or referrer',
			'No: Use without their name to evaluate the service',
			'Yes: Text message reminders'
		]);
	});
	it('gives staff a label and answers that never speak to the person or in their voice', () => {
		for (const p of [...CHECK_PAGES, ...REFER_PAGES, ...MORE_PAGES]) {
			expect(p.staffSummaryLabel ?? p.summaryLabel, p.id).not.toMatch(/\b(you|your)\b/i);
			for (const f of p.fields)
				if (f.kind === 'radios' || f.kind === 'checkboxes') for (const o of f.options) expect(o.staffLabel ?? o.label, `${p.id}: ${o.value}`).not.toMatch(/\b(I|I’m|me|my)\b/);
		}
	});
	it('joins checkbox labels', () => {
		expect(describeAnswer(page('refer', 'contact-preferences'), { contactChannels: ['phone', 'email'] })).toEqual(['Phone call, Email']);
		expect(describeAnswer(page('check', 'circumstances'), { circumstances: ['other-programme', 'not-sure'] }, 'staff')).toEqual([
			'On another employment programme, Not sure about one of these'
		]);
	});
	it('writes dates in full', () => {
		expect(describeAnswer(page('check', 'date-of-birth'), { dateOfBirth: '1985-03-27' })).toEqual(['27 March 1985']);
	});
	it('shows text fields as given', () => {
		expect(describeAnswer(page('refer', 'your-details'), { givenName: 'Ann', familyName: 'Lee', phone: '07700900982' })).toEqual(['Ann Lee', '07700900982']);
		expect(describeAnswer(page('refer', 'your-details'), { givenName: 'Ann', familyName: 'Lee', phone: '07700900982' }, 'staff')).toEqual(['Ann', 'Lee', '07700900982']);
		expect(describeAnswer(page('refer', 'contact-preferences'), { contactChannels: ['text'], bestTimes: ['any'], messagesMayNameService: 'no', postAllowed: 'yes' })).toEqual([
			'Text message',
			'Any time',
			'Messages must not say who we are',
			'Letters are fine'
		]);
	});
	it('shows a single consent as yes or no', () => {
		const first = { ...page('refer', 'consent'), fields: page('refer', 'consent').fields.slice(0, 1) };
		expect(describeAnswer(first, { consentProcessing: given(CONSENTS.processing.version) })).toEqual(['Yes']);
	});
	it('names each consent on a page with several', () => {
		const lines = describeAnswer(page('refer', 'consent'), {
			consentProcessing: given('v'),
			consentReferrerUpdates: given('v'),
			consentEvaluation: refused('v'),
			consentTextReminders: refused('v')
		});
		// The person reads what they agreed to, in short (the full wording was on the page they ticked)...
		expect(lines).toEqual([CONSENT_PERSON_LABELS.processing, CONSENT_PERSON_LABELS.referrerUpdates]);
		// ...staff read every answer, yes or no.
		expect(describeAnswer(page('refer', 'consent'), { consentProcessing: given('v'), consentEvaluation: refused('v') }, 'staff')).toEqual([
			'Yes: Use of their information to support the referral (required)',
			'No: Use without their name to evaluate the service'
		]);
	});
	it('says "Not given" for a blank NHS number, whatever its consent says', () => {
		const at = '2026-11-23T10:00:00.000Z';
		expect(describeAnswer(page('more', 'nhs-number'), { nhsNumber: null, consentNhsNumber: { given: false, version: 'v1', at } })).toEqual(['Not given']);
		const given = describeAnswer(page('more', 'nhs-number'), { nhsNumber: '9434765919', consentNhsNumber: { given: true, version: 'v1', at } });
		expect(given[0]).toBe('9434765919');
		expect(given[1]).toMatch(/^Yes: /);
	});

	it('says "Not given" when nothing was answered', () => {
		expect(describeAnswer(page('more', 'pronouns'), { pronouns: null })).toEqual(['Not given']);
		expect(describeAnswer(page('more', 'condition-types'), { conditionCategories: [] })).toEqual(['Not given']);
	});
});
