import { describe, expect, it } from 'vitest';
import { parseFormData } from '../../src/lib/domain/fields';
import { auditFilterForm } from '../../src/lib/server/audit';
import { deliveryFilterForm } from '../../src/lib/server/webhooks/delivery-log';
import { exportFields } from '../../src/lib/server/export';
import { reportFields } from '../../src/lib/server/measures/report';
import { meetingFilterForm } from '../../src/lib/domain/meetings/staff-forms';
import { dayFilterField } from '../../src/lib/domain/range-form';

const parse = <T>(form: Parameters<typeof parseFormData>[0], query: string) => {
	const result = parseFormData(form, new URLSearchParams(query));
	if (!result.ok) throw new Error('a filter form always parses');
	return result.values as T;
};

describe('audit log filter', () => {
	const form = auditFilterForm(['referral.viewed', 'staff.created']);
	it('keeps an action the log has and shows every action for anything else', () => {
		expect(parse(form, 'action=staff.created')).toEqual({ action: 'staff.created' });
		expect(parse(form, 'action=drop+table')).toEqual({ action: null });
		expect(parse(form, '')).toEqual({ action: null });
	});
	it('offers every action after "All actions"', () => {
		expect(form.fields[0]).toMatchObject({ kind: 'select', name: 'action', label: 'Action' });
		expect((form.fields[0] as { options: { label: string }[] }).options.map((o) => o.label)).toEqual(['All actions', 'referral.viewed', 'staff.created']);
	});
});

describe('webhook delivery log filter', () => {
	it('keeps a known state and shows every delivery for anything else', () => {
		expect(parse(deliveryFilterForm, 'status=dead')).toEqual({ status: 'dead' });
		expect(parse(deliveryFilterForm, 'status=queued')).toEqual({ status: null });
		expect(parse(deliveryFilterForm, '')).toEqual({ status: null });
	});
	it('names the states in words', () => {
		expect((deliveryFilterForm.fields[0] as { options: { label: string }[] }).options.map((o) => o.label)).toEqual([
			'All deliveries',
			'Waiting',
			'Delivered',
			'Failed for good'
		]);
	});
});

describe('staff date filters', () => {
	const programmes = [{ id: 'p1', name: 'One' }];
	const dayBoxes = [
		...exportFields(programmes).filter((f) => f.name !== 'programme'),
		...reportFields(programmes).filter((f) => f.name !== 'programme'),
		meetingFilterForm().fields[0]
	];
	it('are one kind of box everywhere: plain text of medium width, no browser date picker', () => {
		expect(dayBoxes.map((f) => f.name)).toEqual(['from', 'to', 'from', 'to', 'from']);
		for (const f of dayBoxes) expect({ ...f, label: '', hint: '', name: '' }).toEqual({ ...dayFilterField('', '', ''), label: '', hint: '', name: '' });
		for (const f of dayBoxes) expect(f).not.toHaveProperty('type');
	});
	it('all take a day typed either way', () => {
		expect(parse(meetingFilterForm(), 'from=30/3/2027')).toEqual({ from: '2027-03-30', staff: null });
		expect(parse(meetingFilterForm(), 'from=2027-03-30')).toEqual({ from: '2027-03-30', staff: null });
		expect(parseFormData(meetingFilterForm(), new URLSearchParams('from=2027-02-30')).ok).toBe(false);
	});
});
