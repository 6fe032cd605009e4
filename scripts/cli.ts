/**
 * Command line for people who run the portal. Uses the same database settings as the server
 * (DATABASE_URL, or the embedded database in DATA_DIR; stop the server first when using PGlite).
 *
 *   npm run cli -- link create --code gp-p84002 --source fit-note --ods P84002 --label "Fit Note, Example Surgery" --out qr.svg
 *   npm run cli -- link list
 */
import { writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { ZodError } from 'zod';
import { SOURCE_CODES } from '../src/lib/domain/sources';
import { closeDb } from '../src/lib/server/db';
import { createLink, linkQrSvg, listLinks } from '../src/lib/server/links';

const USAGE = `Usage:
  npm run cli -- link create --code <code> --source <source> --label <text> [--ods <ODS code>] [--programme <id>] [--out <file.svg>] [--base-url <url>]
  npm run cli -- link list

  <code>    lower-case letters, numbers and dashes; the link is <base-url>/r/<code>
  <source>  one of: ${SOURCE_CODES.join(', ')}
  --out     writes the link's QR code as SVG (default: <code>.svg)
  --base-url the public address of the portal (default: ORIGIN, else http://localhost:3000)`;

async function main(argv: string[]): Promise<number> {
	const [area, action, ...rest] = argv;
	if (area !== 'link' || !action || !['create', 'list'].includes(action)) {
		console.error(USAGE);
		return 2;
	}
	if (action === 'list') {
		for (const link of await listLinks()) {
			console.log([link.code, link.sourceCode, link.odsCode ?? '-', link.label].join('\t'));
		}
		return 0;
	}
	const { values } = parseArgs({
		args: rest,
		options: {
			code: { type: 'string' },
			source: { type: 'string' },
			ods: { type: 'string' },
			programme: { type: 'string' },
			label: { type: 'string' },
			out: { type: 'string' },
			'base-url': { type: 'string' }
		},
		strict: true
	});
	if (!values.code || !values.source || !values.label) {
		console.error(`--code, --source and --label are needed.\n\n${USAGE}`);
		return 2;
	}
	const link = await createLink({
		code: values.code,
		sourceCode: values.source,
		odsCode: values.ods,
		programmeId: values.programme,
		label: values.label
	});
	const base = (values['base-url'] ?? process.env.ORIGIN ?? 'http://localhost:3000').replace(/\/+$/, '');
	const url = `${base}/r/${link.code}`;
	const out = values.out ?? `${link.code}.svg`;
	writeFileSync(out, await linkQrSvg(url));
	console.log(`Created ${url} (${link.sourceCode}${link.odsCode ? `, practice ${link.odsCode}` : ''})`);
	console.log(`QR code written to ${out}`);
	return 0;
}

function describeError(error: unknown): string {
	if (error instanceof ZodError) return error.issues.map((i) => `${i.path.join('.') || 'input'}: ${i.message}`).join('\n');
	const cause = (error as { cause?: { code?: string } })?.cause;
	if ((error as { code?: string })?.code === '23505' || cause?.code === '23505') return 'A link with that code already exists. Choose another --code.';
	return error instanceof Error ? error.message : String(error);
}

main(process.argv.slice(2))
	.then(async (code) => {
		await closeDb();
		process.exitCode = code;
	})
	.catch(async (error: unknown) => {
		console.error(describeError(error));
		await closeDb().catch(() => {});
		process.exitCode = 1;
	});
