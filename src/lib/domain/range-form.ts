/**
 * The "programme, from, to" form the data export and the wellbeing report share: the programme list, two UK
 * days (typed as 2026-04-01 or 1/4/2026), and the values to show again as typed.
 */
import { z } from 'zod';
import { text, type Field, type RawValues, type TextField } from './fields';
import { parseUkDate } from './uk-time';

/**
 * Every staff date filter (export, wellbeing report, meetings) is this one box: plain text that takes
 * 2026-04-01 or 1/4/2026 (`parseUkDate`), not the browser's date picker, which differs between browsers and
 * is hard to use with a keyboard or a screen reader.
 */
export const dayFilterField = (name: string, label: string, hint: string): TextField => ({ kind: 'text', name, label, hint, width: 'medium', spellcheck: false });

/** The programme select (with `emptyLabel` first for someone in several programmes), then From and To. */
export function programmeRangeFields(programmes: { id: string; name: string }[], emptyLabel: string, fromHint: string, toHint: string): Field[] {
	return [
		{
			kind: 'select',
			name: 'programme',
			label: 'Programme',
			options: [...(programmes.length > 1 ? [{ value: '', label: emptyLabel }] : []), ...programmes.map((p) => ({ value: p.id, label: p.name }))]
		},
		dayFilterField('from', 'From', fromHint),
		dayFilterField('to', 'To', toHint)
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
