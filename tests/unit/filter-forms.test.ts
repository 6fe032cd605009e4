import { describe, expect, it } from 'vitest';
import { parseFormData } from '../../src/lib/domain/fields';
import { auditFilterForm } from '../../src/lib/server/audit';
import { deliveryFilterForm } from '../../src/lib/server/webhooks/delivery-log';

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
