/**
 * Generated request bodies for the fuzz test (fuzz.spec.ts): field sets built from a form's real fields,
 * values of many hostile kinds, and the encodings a client can send (form, multipart, broken multipart,
 * text/plain, JSON, none). Everything is drawn by fast-check from a seed, so one seed sends the same bytes.
 *
 * Values that carry text are prefixed with the request's marker when the request is built, so the server
 * log and the database can be searched for exactly what this test sent.
 */
import { createHash } from 'node:crypto';
import fc from 'fast-check';

// ---- values ---------------------------------------------------------------------------------------

export type ValueKind =
	| 'valid'
	| 'plausible'
	| 'wrong-type'
	| 'empty'
	| 'whitespace'
	| 'control'
	| 'nul'
	| 'surrogate'
	| 'unicode'
	| 'emoji'
	| 'rtl'
	| 'sql'
	| 'html'
	| 'huge';

export interface FuzzValue {
	kinds: ValueKind[];
	text: string;
	/** Prefixed with the request's marker when built. */
	marked: boolean;
	/** Sent as a file part in multipart bodies (a File where a string is expected). */
	asFile: boolean;
}

/** U+0000..U+001F and U+007F. */
export const CONTROL_CHARS = [...Array(32).keys()].map((i) => String.fromCharCode(i)).concat('\x7f');

const WRONG_TYPES = ['-1', '0', '1.5', '-0', '1e309', 'NaN', 'Infinity', '0x1F', '99999999999999999999999', 'true', 'null', '[]', '{}', 'undefined'];
const PLAUSIBLE = [
	'yes',
	'no',
	'not-sure',
	'on',
	'1',
	'15',
	'6',
	'1985',
	'2026',
	'M1 1AE',
	'07700 900982',
	'943 476 5919',
	'someone@example.com',
	'https://crm.example.org/hook',
	'phone',
	'email',
	'closed',
	'contacted',
	'099',
	'admin',
	'specialist',
	'gm-ips-primary-care',
	'P84001',
	'5 December 2026 at 14:05',
	'referral.submitted'
];

const piece: Record<Exclude<ValueKind, 'valid' | 'plausible' | 'wrong-type' | 'empty'>, fc.Arbitrary<string>> = {
	whitespace: fc.constantFrom(' ', '\t', '\n', '\r\n', '\u00a0', '\u2028', '\u3000', '\ufeff', '   '),
	control: fc
		.tuple(fc.string({ maxLength: 6 }), fc.array(fc.constantFrom(...CONTROL_CHARS), { minLength: 1, maxLength: 4 }), fc.string({ maxLength: 6 }))
		.map(([a, cs, b]) => a + cs.join('') + b),
	nul: fc.tuple(fc.string({ maxLength: 6 }), fc.string({ maxLength: 6 })).map(([a, b]) => `${a}\u0000${b}`),
	surrogate: fc.constantFrom('\ud800', '\udbff', '\udc00', '\udfff', 'a\ud83db', '\ude00\ud83d', 'x\udfffy\ud800'),
	unicode: fc.string({ unit: 'binary', minLength: 1, maxLength: 16 }),
	emoji: fc.constantFrom('😀', '👩🏽‍💻', '🏳️‍🌈', '🇬🇧', '🧑‍🤝‍🧑', '👍🏿', '\u{1F600}\ufe0f\u20e3'),
	rtl: fc.constantFrom('\u200f', '\u202e', '\u2066', '\u200e', '\u061c', 'مرحبا', 'שלום\u202eabc'),
	sql: fc.constantFrom("' OR '1'='1", "'; DROP TABLE referral; --", '1; SELECT pg_sleep(1)', '" OR ""="', "\\'", "%' --", '$1', "E'\\\\x00'", "admin'--"),
	html: fc.constantFrom('<script>alert(1)</script>', '"><img src=x onerror=alert(1)>', 'javascript:alert(1)', '{{7*7}}', '${7*7}', '<!--', ']]>', '&amp;&lt;', '<svg/onload=alert(1)>'),
	huge: fc
		.tuple(fc.integer({ min: 2_000, max: 100_000 }), fc.constantFrom('x', 'é', '😀', 'a\u0000', '<b>', ' ', 'ab\u202e'))
		.map(([n, unit]) => unit.repeat(Math.ceil(n / unit.length)).slice(0, n))
};

const PIECE_WEIGHTS: [keyof typeof piece, number][] = [
	['whitespace', 1],
	['control', 3],
	['nul', 2],
	['surrogate', 2],
	['unicode', 2],
	['emoji', 1],
	['rtl', 1],
	['sql', 2],
	['html', 2],
	['huge', 1]
];

const pieces = fc.array(
	fc.oneof(...PIECE_WEIGHTS.map(([kind, weight]) => ({ weight, arbitrary: piece[kind].map((text) => ({ kind, text })) }))),
	{ minLength: 1, maxLength: 3 }
);

/** A value for a field whose acceptable values (from the form) are `candidates`. */
export function valueArb(candidates: string[]): fc.Arbitrary<FuzzValue> {
	const plain = (kinds: ValueKind[], text: string): Omit<FuzzValue, 'asFile'> => ({ kinds, text, marked: false });
	const inner: fc.Arbitrary<Omit<FuzzValue, 'asFile'>> = fc.oneof(
		{ weight: 2, arbitrary: fc.constantFrom(...(candidates.length ? candidates : [''])).map((t) => plain(['valid'], t)) },
		{ weight: 1, arbitrary: fc.constantFrom(...PLAUSIBLE).map((t) => plain(['plausible'], t)) },
		{ weight: 1, arbitrary: fc.constantFrom(...WRONG_TYPES).map((t) => plain(['wrong-type'], t)) },
		{ weight: 1, arbitrary: fc.constant(plain(['empty'], '')) },
		{
			weight: 8,
			arbitrary: pieces.map((ps) => ({ kinds: [...new Set(ps.map((p) => p.kind))], text: ps.map((p) => p.text).join(''), marked: true }))
		}
	);
	return fc.tuple(inner, fc.oneof({ weight: 15, arbitrary: fc.constant(false) }, { weight: 1, arbitrary: fc.constant(true) })).map(([v, asFile]) => ({ ...v, asFile }));
}

/**
 * `?/name` form action names that are not actions: SvelteKit looks the name up on the route's `actions`
 * object, so inherited names would run Object.prototype's functions, and `default` is reserved. Each must be
 * answered 400 or 404 (never a 5xx, and never a 200 as if something ran), as HTML and as JSON.
 */
export const ODD_ACTION_NAMES = [
	'default',
	'__proto__',
	'constructor',
	'valueOf',
	'toString',
	'toLocaleString',
	'hasOwnProperty',
	'isPrototypeOf',
	'propertyIsEnumerable',
	'__defineGetter__',
	'__lookupGetter__',
	'',
	'%00',
	'no-such-action',
	'noSuchAction'
];

// ---- field sets -----------------------------------------------------------------------------------

/** A form's fields: name -> the values the page offers (radio, checkbox and option values, hidden values). */
export type FormFields = Map<string, string[]>;

export interface FuzzField {
	name: string;
	/** Name prefixed with the marker (a field the form does not have). */
	nameMarked: boolean;
	value: FuzzValue;
}

export type Shape = 'mutated' | 'missing' | 'repeated' | 'garbage' | 'no-fields';

type FieldAction = 'keep' | 'fuzz' | 'drop' | 'repeat';

const extraName = fc.oneof(
	{ weight: 3, arbitrary: fc.string({ maxLength: 12 }).map((text) => ({ text, marked: true })) },
	{ weight: 1, arbitrary: fc.constantFrom('__proto__', 'constructor', '', 'a[b]', 'x.y', ' ', '\u0000', '😀', '\ud800').map((text) => ({ text, marked: false })) }
);

/** The fields of one request: the form's own fields changed, dropped or repeated, plus unknown ones. */
export function fieldsArb(form: FormFields): fc.Arbitrary<{ shape: Shape[]; fields: FuzzField[] }> {
	const names = [...form.keys()];
	const fieldActions = fc.tuple(
		...names.map((name) =>
			fc.tuple(
				fc.constantFrom<FieldAction>('keep', 'fuzz', 'fuzz', 'drop', 'repeat'),
				fc.array(valueArb(form.get(name)!), { minLength: 2, maxLength: 3 }),
				fc.constantFrom(...(form.get(name)!.length ? form.get(name)! : ['']))
			)
		)
	);
	const extras = fc.array(fc.tuple(extraName, valueArb([])), { maxLength: 3 });
	const mutated = fc.tuple(fieldActions, extras).map(([actions, extra]) => {
		const fields: FuzzField[] = [];
		const shape = new Set<Shape>(['mutated']);
		actions.forEach(([action, values, valid], i) => {
			const name = names[i];
			if (action === 'keep') fields.push({ name, nameMarked: false, value: { kinds: ['valid'], text: valid, marked: false, asFile: false } });
			else if (action === 'fuzz') fields.push({ name, nameMarked: false, value: values[0] });
			else if (action === 'repeat') {
				shape.add('repeated');
				for (const value of values) fields.push({ name, nameMarked: false, value });
			} else shape.add('missing');
		});
		for (const [n, value] of extra) fields.push({ name: n.text, nameMarked: n.marked, value });
		return { shape: [...shape], fields };
	});
	const garbage = fc.array(fc.tuple(fc.oneof(extraName, ...(names.length ? [fc.constantFrom(...names).map((text) => ({ text, marked: false }))] : [])), valueArb([])), {
		minLength: 1,
		maxLength: 6
	}).map((pairs) => ({ shape: ['garbage'] as Shape[], fields: pairs.map(([n, value]) => ({ name: n.text, nameMarked: n.marked, value })) }));
	return fc.oneof(
		{ weight: names.length ? 6 : 0, arbitrary: mutated },
		{ weight: 2, arbitrary: garbage },
		{ weight: 1, arbitrary: fc.constant({ shape: ['no-fields'] as Shape[], fields: [] as FuzzField[] }) }
	);
}

// ---- encodings ------------------------------------------------------------------------------------

export type Encoding =
	| 'urlencoded'
	| 'urlencoded-charset'
	| 'multipart'
	| 'multipart-broken'
	| 'text-plain'
	| 'json'
	| 'none'
	| 'untyped';

export type Broken = 'wrong-boundary' | 'no-boundary' | 'unterminated' | 'no-disposition' | 'bad-headers' | 'truncated' | 'empty-body' | 'bare-lf';

export type JsonShape = 'object' | 'array' | 'string' | 'number' | 'null' | 'invalid';

export interface FuzzCase {
	encoding: Encoding;
	broken: Broken;
	jsonShape: JsonShape;
	charset: string;
	accept: string;
	shape: Shape[];
	fields: FuzzField[];
}

const ENCODING_WEIGHTS: [Encoding, number][] = [
	['urlencoded', 8],
	['urlencoded-charset', 1],
	['multipart', 4],
	['multipart-broken', 2],
	['text-plain', 1],
	['json', 2],
	['none', 1],
	['untyped', 1]
];

export function caseArb(form: FormFields, encodings: [Encoding, number][] = ENCODING_WEIGHTS, accept: fc.Arbitrary<string> = defaultAccept): fc.Arbitrary<FuzzCase> {
	return fc.record({
		encoding: fc.oneof(...encodings.map(([e, weight]) => ({ weight, arbitrary: fc.constant(e) }))),
		broken: fc.constantFrom<Broken>('wrong-boundary', 'no-boundary', 'unterminated', 'no-disposition', 'bad-headers', 'truncated', 'empty-body', 'bare-lf'),
		jsonShape: fc.oneof(
			{ weight: 6, arbitrary: fc.constant<JsonShape>('object') },
			{ weight: 1, arbitrary: fc.constantFrom<JsonShape>('array', 'string', 'number', 'null', 'invalid') }
		),
		charset: fc.constantFrom('utf-8', 'UTF-16', 'iso-8859-1', 'x-unknown', '"utf-8"'),
		accept,
		fields: fieldsArb(form)
	}).map(({ fields, ...rest }) => ({ ...rest, shape: fields.shape, fields: fields.fields }));
}

const defaultAccept = fc.oneof({ weight: 10, arbitrary: fc.constant('text/html') }, { weight: 1, arbitrary: fc.constantFrom('application/json', '*/*') });

/** The request's marker: `FZ` and 10 characters from the seed and the request's number. */
export function markerFor(seed: number, index: number): string {
	const digest = createHash('sha256').update(`${seed}:${index}`).digest();
	const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
	let out = 'FZ';
	for (let i = 0; i < 10; i++) out += alphabet[digest[i] % 32];
	return out;
}

/**
 * UTF-8 that keeps lone surrogates as their three-byte (invalid) form instead of replacing them, the way
 * a broken client would send them.
 */
export function wtf8(s: string): Buffer {
	const bytes: number[] = [];
	for (let i = 0; i < s.length; i++) {
		let cp = s.charCodeAt(i);
		if (cp >= 0xd800 && cp <= 0xdbff && i + 1 < s.length) {
			const lo = s.charCodeAt(i + 1);
			if (lo >= 0xdc00 && lo <= 0xdfff) {
				cp = 0x10000 + ((cp - 0xd800) << 10) + (lo - 0xdc00);
				i++;
			}
		}
		if (cp < 0x80) bytes.push(cp);
		else if (cp < 0x800) bytes.push(0xc0 | (cp >> 6), 0x80 | (cp & 63));
		else if (cp < 0x10000) bytes.push(0xe0 | (cp >> 12), 0x80 | ((cp >> 6) & 63), 0x80 | (cp & 63));
		else bytes.push(0xf0 | (cp >> 18), 0x80 | ((cp >> 12) & 63), 0x80 | ((cp >> 6) & 63), 0x80 | (cp & 63));
	}
	return Buffer.from(bytes);
}

/** Percent-encoding of the bytes (lone surrogates stay invalid UTF-8). */
export function percent(s: string): string {
	let out = '';
	for (const b of wtf8(s)) out += /[A-Za-z0-9*\-._]/.test(String.fromCharCode(b)) ? String.fromCharCode(b) : b === 0x20 ? '+' : `%${b.toString(16).toUpperCase().padStart(2, '0')}`;
	return out;
}

export interface BuiltBody {
	contentType: string | null;
	body: Buffer | null;
	/** The marker-bearing strings sent, to check the log for. */
	label: string;
}

function jsonValue(v: FuzzValue, text: string): unknown {
	if (v.kinds.includes('wrong-type')) {
		if (v.text === 'undefined') return undefined;
		try {
			return JSON.parse(v.text);
		} catch {
			return Number(v.text);
		}
	}
	return text;
}

/** The bytes and content type of one case, with `marker` put in front of every marked name and value. */
export function buildBody(c: FuzzCase, marker: string, boundarySeed: string): BuiltBody {
	const pairs = c.fields.map((f) => ({
		name: f.nameMarked ? marker + f.name : f.name,
		text: f.value.marked ? marker + f.value.text : f.value.text,
		field: f
	}));
	const valueKinds = [...new Set(c.fields.flatMap((f) => f.value.kinds))].sort();
	const extra = c.encoding === 'multipart-broken' ? `:${c.broken}` : c.encoding === 'json' ? `:${c.jsonShape}` : c.encoding === 'urlencoded-charset' ? `:${c.charset}` : '';
	const files = c.fields.some((f) => f.value.asFile) && c.encoding.startsWith('multipart') ? '+file' : '';
	const label = `${c.encoding}${extra}${files} accept=${c.accept} shape=${c.shape.join('+')} values=${valueKinds.join(',') || 'none'}`;
	const urlencoded = () => Buffer.from(pairs.map((p) => `${percent(p.name)}=${percent(p.text)}`).join('&'), 'latin1');
	const boundary = `----fuzz${boundarySeed}`;
	const multipart = (b: string, eol = '\r\n', withDisposition = true, terminate = true): Buffer => {
		const chunks: Buffer[] = [];
		for (const p of pairs) {
			const name = p.name.replace(/"/g, '%22').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
			let head = `--${b}${eol}`;
			if (withDisposition) head += `Content-Disposition: form-data; name="${name}"${p.field.value.asFile ? '; filename="fuzz.txt"' : ''}${eol}`;
			if (p.field.value.asFile) head += `Content-Type: text/plain${eol}`;
			chunks.push(wtf8(head + eol), wtf8(p.text), Buffer.from(eol));
		}
		if (terminate) chunks.push(Buffer.from(`--${b}--${eol}`));
		return Buffer.concat(chunks);
	};
	switch (c.encoding) {
		case 'urlencoded':
			return { contentType: 'application/x-www-form-urlencoded', body: urlencoded(), label };
		case 'urlencoded-charset':
			return { contentType: `APPLICATION/X-WWW-FORM-URLENCODED; charset=${c.charset}`, body: urlencoded(), label };
		case 'multipart':
			return { contentType: `multipart/form-data; boundary=${boundary}`, body: multipart(boundary), label };
		case 'multipart-broken': {
			const ct = `multipart/form-data; boundary=${boundary}`;
			switch (c.broken) {
				case 'wrong-boundary':
					return { contentType: ct, body: multipart(`${boundary}x`), label };
				case 'no-boundary':
					return { contentType: 'multipart/form-data', body: multipart(boundary), label };
				case 'unterminated':
					return { contentType: ct, body: multipart(boundary, '\r\n', true, false), label };
				case 'no-disposition':
					return { contentType: ct, body: multipart(boundary, '\r\n', false), label };
				case 'bad-headers':
					return { contentType: ct, body: Buffer.concat([Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name=\r\nX: \u0001\r\n`), multipart(boundary)]), label };
				case 'truncated': {
					const full = multipart(boundary);
					return { contentType: ct, body: full.subarray(0, Math.max(1, Math.floor(full.length / 2))), label };
				}
				case 'empty-body':
					return { contentType: ct, body: Buffer.alloc(0), label };
				case 'bare-lf':
					return { contentType: ct, body: multipart(boundary, '\n'), label };
			}
			break;
		}
		case 'text-plain':
			return { contentType: 'text/plain', body: wtf8(pairs.map((p) => `${p.name}=${p.text}\r\n`).join('')), label };
		case 'json': {
			let value: unknown;
			if (c.jsonShape === 'object') {
				const obj: Record<string, unknown> = {};
				for (const p of pairs) {
					const v = jsonValue(p.field.value, p.text);
					if (p.name in obj) obj[p.name] = ([] as unknown[]).concat(obj[p.name], [v]);
					else obj[p.name] = v;
				}
				value = obj;
			} else if (c.jsonShape === 'array') value = pairs.map((p) => [p.name, p.text]);
			else if (c.jsonShape === 'string') value = pairs.map((p) => p.text).join('') || marker;
			else if (c.jsonShape === 'number') value = 1e308;
			else value = null;
			const text = c.jsonShape === 'invalid' ? `{"${marker}": ${pairs.map((p) => p.text).join(',')}` : JSON.stringify(value);
			return { contentType: 'application/json', body: wtf8(text), label };
		}
		case 'none':
			return { contentType: null, body: null, label };
		case 'untyped':
			return { contentType: null, body: urlencoded(), label };
	}
	throw new Error(`unknown encoding ${c.encoding}`);
}

// ---- pages ----------------------------------------------------------------------------------------

const attr = (tag: string, name: string) => new RegExp(`\\s${name}="([^"]*)"`).exec(tag)?.[1] ?? null;
const decode = (v: string) => v.replace(/&quot;/g, '"').replace(/&#39;/g, "'").replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&');

/** The fields of the page's POST forms that post to `action` ('default' or a named action). */
export function formFields(html: string, action: string): FormFields {
	const forms = [...html.matchAll(/<form\b([^>]*)>([\s\S]*?)<\/form>/gi)].filter(([, open]) => /method="post"/i.test(open));
	const posts = (open: string) => {
		const to = decode(attr(open, 'action') ?? '');
		const named = /\?\/(\w+)/.exec(to)?.[1];
		return action === 'default' ? !named : named === action;
	};
	const chosen = forms.filter(([, open]) => posts(open));
	const out: FormFields = new Map();
	for (const [, , body] of chosen.length ? chosen : forms) {
		for (const [tag] of body.matchAll(/<(input|textarea|select)\b[^>]*>/gi)) {
			const name = attr(tag, 'name');
			if (!name) continue;
			const values = out.get(decode(name)) ?? [];
			const value = attr(tag, 'value');
			if (value !== null && !values.includes(decode(value))) values.push(decode(value));
			out.set(decode(name), values);
		}
		for (const [, open, inner] of body.matchAll(/<select\b([^>]*)>([\s\S]*?)<\/select>/gi)) {
			const name = attr(open, 'name');
			if (!name) continue;
			const values = out.get(decode(name)) ?? [];
			for (const [opt] of inner.matchAll(/<option\b[^>]*>/gi)) {
				const v = attr(opt, 'value');
				if (v !== null && !values.includes(decode(v))) values.push(decode(v));
			}
			out.set(decode(name), values);
		}
	}
	return out;
}
