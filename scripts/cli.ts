/**
 * Command line for people who run the portal. Uses the same database settings as the server
 * (DATABASE_URL, or the embedded database in DATA_DIR; stop the server first when using PGlite).
 *
 *   npm run cli -- link create --code gp-p84002 --source fit-note --ods P84002 --label "Fit Note, Example Surgery" --out qr.svg
 *   npm run cli -- link list
  npm run cli -- staff create --email <email> --name <name> --role specialist|team-lead|admin --programme <id> [--programme <id>] [--practice <ODS code>] [--password <pw>]
 *   npm run cli -- staff create --email E --name N --role admin --programme P [--programme Q] [--practice P84001] [--password PW]
 */
import { writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { ZodError } from 'zod';
import { SOURCE_CODES } from '../src/lib/domain/sources';
import { closeDb } from '../src/lib/server/db';
import { createInterface } from 'node:readline/promises';
import { createLink, linkQrSvg, listLinks } from '../src/lib/server/links';
import { createStaff } from '../src/lib/server/auth/staff';
import { seedProgrammes } from '../src/lib/server/programmes';
import { getConfig } from '../src/lib/server/config';

const USAGE = `Usage:
  npm run cli -- link create --code <code> --source <source> --label <text> [--ods <ODS code>] [--programme <id>] [--out <file.svg>] [--base-url <url>]
  npm run cli -- link list
  npm run cli -- staff create --email <email> --name <name> --role specialist|team-lead|admin --programme <id> [--programme <id>] [--practice <ODS code>] [--password <pw>]

  <code>    lower-case letters, numbers and dashes; the link is <base-url>/r/<code>
  <source>  one of: ${SOURCE_CODES.join(', ')}
  --out     writes the link's QR code as SVG (default: <code>.svg)
  --base-url the public address of the portal (default: ORIGIN, else http://localhost:3000)`;

async function askPassword(): Promise<string> {
	const rl = createInterface({ input: process.stdin, output: process.stderr, terminal: true });
	try {
		return await rl.question('Password (12 characters or more): ');
	} finally {
		rl.close();
	}
}

async function staffCommand(action: string | undefined, rest: string[]): Promise<number> {
	if (action !== 'create') {
		console.error(USAGE);
		return 2;
	}
	const { values } = parseArgs({
		args: rest,
		options: {
			email: { type: 'string' },
			name: { type: 'string' },
			role: { type: 'string' },
			programme: { type: 'string', multiple: true },
			practice: { type: 'string', multiple: true },
			password: { type: 'string' }
		},
		strict: true
	});
	if (!values.email || !values.name || !values.role || !values.programme?.length) {
		console.error(`--email, --name, --role and --programme are needed.\n\n${USAGE}`);
		return 2;
	}
	// The programmes must exist: make sure the demo ones are there when demo seeding is on.
	if (getConfig().SEED === 'demo') await seedProgrammes();
	const password = values.password ?? (await askPassword());
	const created = await createStaff({
		email: values.email,
		name: values.name,
		role: values.role as 'admin',
		programmeIds: values.programme,
		practices: values.practice ?? [],
		password
	});
	console.log(`Created ${created.staff.role} ${created.staff.email}.`);
	console.log('Add this to an authenticator app (it is shown only now):');
	console.log(created.totpUri);
	console.log('Recovery codes, each works once (shown only now):');
	for (const code of created.recoveryCodes) console.log(`  ${code}`);
	return 0;
}

async function main(argv: string[]): Promise<number> {
	const [area, action, ...rest] = argv;
	if (area === 'staff') return staffCommand(action, rest);
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
	if ((error as { code?: string })?.code === '23505' || cause?.code === '23505') return 'That already exists (a link with that code, or staff with that email).';
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
