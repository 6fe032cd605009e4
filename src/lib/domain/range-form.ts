/**
 * The "programme, from, to" form the data export and the wellbeing report share: the programme list, two UK
 * days (typed as 2026-04-01 or 1/4/2026), and the values to show again as typed.
 */
import { z } from 'zod';
import { text, type Field, type RawValues, type TextField } from './fields';
import { parseUkDate } from './uk-time';

type DayField = Pick<TextField, 'hint'> & Partial<Pick<TextField, 'type' | 'width'>>;

/** The programme select (with `emptyLabel` first for someone in several programmes), then From and To. */
export function programmeRangeFields(programmes: { id: string; name: string }[], emptyLabel: string, from: DayField, to: DayField): Field[] {
	return [
		{
			kind: 'select',
			name: 'programme',
			label: 'Programme',
			options: [...(programmes.length > 1 ? [{ value: '', label: emptyLabel }] : []), ...programmes.map((p) => ({ value: p.id, label: p.name }))]
		},
		{ kind: 'text', name: 'from', label: 'From', ...from },
		{ kind: 'text', name: 'to', label: 'To', ...to }
	];
}

/** A UK day as YYYY-MM-DD, with the messages for an empty and an unreadable one. */
export const ukDay = (empty: string, invalid: string) =>
	text()
		.trim()
		.min(1, empty)
		.transform((v, ctx) => parseUkDate(v) ?? (ctx.addIssue({ code: 'custom', message: invalid }), z.NEVER));

/** The last day may not be before the first. */
export const inOrder = (v: { from: string; to: string }) => v.from <= v.to;
export const IN_ORDER = { path: ['to'], message: 'The last day must be the same as or after the first day' };

/** The values as typed, to show again. */
export const rangeValues = (raw: RawValues) => ({ programme: String(raw.programme ?? ''), from: String(raw.from ?? ''), to: String(raw.to ?? '') });
