/**
 * Command line for people who run the portal. Uses the same database settings as the server
 * (DATABASE_URL, or the embedded database in DATA_DIR; stop the server first when using PGlite).
 *
 *   npm run cli -- link create --code gp-p84002 --source fit-note --ods P84002 --label "Fit Note, Example Surgery" --out qr.svg
 *   npm run cli -- link list
 *   npm run cli -- staff create --email E --name N --role admin --programme P [--programme Q] [--practice P84001] [--password PW]
 *   npm run cli -- webhook add --url https://crm.example.org/hook --events referral.submitted,referral.status_changed --programme P [--programme Q]
 *   npm run cli -- api-key create --name "Case system" --programme P [--programme Q]   (prints the key once)
 *   npm run cli -- api-key revoke --prefix ips_k3m9x2ab
 *   npm run cli -- api-key list
 *   npm run cli -- measures score phq9 1,2,0,3,1,0,2,1,0   (prints the scores as JSON; no database)
 *   npm run cli -- backup --out ips.tar.gz [--format sql]     (the embedded database; stop the portal first)
 *   npm run cli -- restore --from ips.tar.gz                  (into an empty DATA_DIR)
 *   npm run cli -- report kpis [--programme P] [--from 2026-04-01] [--to 2027-03-31] --format json|csv [--sharing]
 */
import { writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { ZodError } from 'zod';
import { SOURCE_CODES } from '../src/lib/domain/sources';
import path from 'node:path';
import { closeDb, setDatabaseUser } from '../src/lib/server/db';
import { DataDirInUseError, LOCK_FILE } from '../src/lib/server/db/data-dir-lock';
import { backupDataDir, restoreBackup } from '../src/lib/server/backup';
import { createInterface } from 'node:readline/promises';
import { COMMAND_LINE } from '../src/lib/server/audit';
import { createLink, linkQrSvg, listLinks } from '../src/lib/server/links';
import { createStaffAccount } from '../src/lib/server/staff/accounts';
import { seedProgrammes } from '../src/lib/server/programmes';
import { getConfig } from '../src/lib/server/config';
import { WEBHOOK_EVENT_TYPES } from '../src/lib/server/events/payload';
import { isHealthEventType, scopesCode } from '../src/lib/server/events/minimise';
import { createSubscription, getSubscription, MAX_ROTATION_OVERLAP_HOURS, rotateSecret } from '../src/lib/server/webhooks/subscriptions';
import { sendTestEvent } from '../src/lib/server/webhooks/deliver';
import { createApiKey, listApiKeys, revokeApiKey } from '../src/lib/server/api/keys';
import { MEASURES_HELP, MEASURES_USAGE, measuresCommand } from './measures-command';
import { outcomesCsvRows } from '../src/lib/domain/outcomes-report';
import { isIsoDate, ukDate } from '../src/lib/domain/uk-time';
import { csvRow } from '../src/lib/server/export';
import { outcomesJson, outcomesReport } from '../src/lib/server/reports/outcomes';
import { ERASURE_REFUSAL_CODES, type ErasureRefusalReason } from '../src/lib/domain/data-rights';
import { allProgrammeIds, carryOutErasure, openErasureRequests, refuseErasure } from '../src/lib/server/data-rights/requests';
import { runRetention } from '../src/lib/server/data-rights/retention';
import { Refusal } from '../src/lib/server/refusal';

const USAGE = `Usage:
  npm run cli -- link create --code <code> --source <source> --label <text> [--ods <ODS code>] [--programme <id>] [--out <file.svg>] [--base-url <url>]
  npm run cli -- link list
  npm run cli -- staff create --email <email> --name <name> --role specialist|team-lead|admin --programme <id> [--programme <id>] [--practice <ODS code>] [--password <pw>]
  npm run cli -- webhook add --url <url> --events <type>,<type> --programme <id> [--programme <id>] [--data health,equality] [--description <text>]
  npm run cli -- webhook rotate-secret --id <subscription id> [--overlap-hours 24]
  npm run cli -- webhook test --id <subscription id>
  npm run cli -- api-key create --name <name> --programme <id> [--programme <id>] [--read-only] [--data health,equality]
  npm run cli -- api-key revoke --prefix <prefix or id>
  npm run cli -- api-key list
  npm run cli -- backup --out <file> [--format data|sql]
  npm run cli -- restore --from <file>
  npm run cli -- report kpis [--programme <id>] [--from YYYY-MM-DD] [--to YYYY-MM-DD] --format json|csv [--sharing]
  npm run cli -- erasure list
  npm run cli -- erasure carry-out <reference>
  npm run cli -- erasure refuse <reference> --reason <${ERASURE_REFUSAL_CODES.join('|')}> --note <text>
  npm run cli -- retention run [--dry-run]
${MEASURES_USAGE}

  <code>    lower-case letters, numbers and dashes; the link is <base-url>/r/<code>
  <source>  one of: ${SOURCE_CODES.join(', ')}
  --out     writes the link's QR code as SVG (default: <code>.svg)
  --base-url the public address of the portal (default: ORIGIN, else http://localhost:3000)
  --events  comma-separated, from: ${WEBHOOK_EVENT_TYPES.join(', ')} (or "all")
            webhook add prints the subscription's id and its signing secret, once
  api-key   create prints the key once (only its hash is stored); revoke takes the prefix it printed
  --data    what beyond the referral and contact details it gets: health (health details, check-in and
            wellbeing events, answers in the person's own words), equality (equality monitoring); default none.
            webhook add, api-key create and api-key list show it as data core, core+health, ...
  backup    copies the embedded database in DATA_DIR (stop the portal first, or use its own backups: BACKUP_DIR);
            --format data (default): the data folder as .tar.gz; sql: a SQL dump PostgreSQL can load too
  restore   into DATA_DIR, which must be a new or empty folder; either kind of backup
  report kpis  the outcomes report: every programme unless --programme (repeatable), the last year unless
            --from/--to (UK dates, both included); json has "sources" (one per link), "practices",
            "dwpCategories", "months", "equality" and "totals"; csv is the staff page's CSV
            (--sharing: counts 1-4 as "<5")
  erasure   list: deletion requests waiting for a decision (reference, asked on, answer due by); carry-out:
            erases the person's personal data now (with or without a request made online); refuse: records
            the lawful reason and a note, and emails the person the reason
  retention run: erases every closed referral past its programme's retention period (--dry-run: lists them)

${MEASURES_HELP}`;

/** Prints each refused value with the flag it came from, in the words the portal shows beside the field. */
function refused(errors: Record<string, string>, flags: Record<string, string>): number {
	for (const [field, message] of Object.entries(errors)) console.error(`${flags[field] ?? field}: ${message}`);
	return 2;
}

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
	const created = await createStaffAccount(
		{ email: values.email, name: values.name, role: values.role, programmeIds: values.programme, practices: (values.practice ?? []).join(', '), password },
		COMMAND_LINE
	);
	if (!created.ok) return refused(created.errors, { email: '--email', name: '--name', role: '--role', programmeIds: '--programme', practices: '--practice', password: '--password' });
	console.log(`Created ${created.staff.role} ${created.staff.email}.`);
	console.log('Add this to an authenticator app (it is shown only now):');
	console.log(created.totpUri);
	console.log('Recovery codes, each works once (shown only now):');
	for (const code of created.recoveryCodes) console.log(`  ${code}`);
	return 0;
}

async function webhookCommand(action: string | undefined, rest: string[]): Promise<number> {
	if (action === 'test') {
		const { values } = parseArgs({ args: rest, options: { id: { type: 'string' } }, strict: true });
		const sub = values.id ? await getSubscription(values.id) : null;
		if (!sub) {
			console.error(values.id ? 'No webhook subscription has that id.' : `--id is needed.\n\n${USAGE}`);
			return 2;
		}
		const result = await sendTestEvent(sub, null);
		const ok = result.statusCode !== null && result.statusCode >= 200 && result.statusCode < 300;
		console.log(`webhook.test ${result.eventId} to ${sub.url}: ${result.statusCode === null ? `not delivered (${result.error})` : `HTTP ${result.statusCode}`} in ${result.latencyMs} ms`);
		return ok ? 0 : 1;
	}
	if (action === 'rotate-secret') {
		const { values } = parseArgs({ args: rest, options: { id: { type: 'string' }, 'overlap-hours': { type: 'string' } }, strict: true });
		const hours = Number(values['overlap-hours'] ?? '24');
		if (!values.id) {
			console.error(`--id is needed.\n\n${USAGE}`);
			return 2;
		}
		const result = await rotateSecret(values.id, hours, null);
		if (!result.ok) {
			console.error(result.reason === 'bad-overlap' ? `--overlap-hours must be a whole number from 0 to ${MAX_ROTATION_OVERLAP_HOURS}.` : 'No webhook subscription has that id.');
			return 2;
		}
		console.log(result.previousUntil ? `Both secrets sign deliveries until ${result.previousUntil.toISOString()}; then only the new one.` : 'Only the new secret signs from now on.');
		console.log('New signing secret (shown only now):');
		console.log(result.secret);
		return 0;
	}
	if (action !== 'add') {
		console.error(USAGE);
		return 2;
	}
	const { values } = parseArgs({
		args: rest,
		options: {
			url: { type: 'string' },
			events: { type: 'string', multiple: true },
			programme: { type: 'string', multiple: true },
			description: { type: 'string' },
			data: { type: 'string', multiple: true }
		},
		strict: true
	});
	if (!values.url || !values.events?.length || !values.programme?.length) {
		console.error(`--url, --events and --programme are needed.\n\n${USAGE}`);
		return 2;
	}
	const events = values.events.flatMap((e) => e.split(',')).map((e) => e.trim()).filter(Boolean);
	if (getConfig().SEED === 'demo') await seedProgrammes();
	const result = await createSubscription(
		{
			url: values.url,
			eventTypes: events.includes('all') ? [...WEBHOOK_EVENT_TYPES] : events,
			programmeIds: values.programme.flatMap((p) => p.split(',')).map((p) => p.trim()).filter(Boolean),
			dataScopes: (values.data ?? []).flatMap((d) => d.split(',')).map((d) => d.trim()).filter(Boolean),
			description: values.description ?? ''
		},
		COMMAND_LINE
	);
	if (!result.ok) return refused(result.errors, { url: '--url', eventTypes: '--events', programmeIds: '--programme', dataScopes: '--data', description: '--description' });
	const sub = result.subscription;
	console.log(`Created webhook subscription ${sub.id}`);
	console.log(`  url:        ${sub.url}`);
	console.log(`  events:     ${sub.eventTypes.join(', ')}`);
	console.log(`  programmes: ${sub.programmeIds.join(', ')}`);
	console.log(`  data:       ${scopesCode(sub.dataScopes)}`);
	const withheld = sub.dataScopes.includes('health') ? [] : sub.eventTypes.filter(isHealthEventType);
	if (withheld.length) console.log(`  not sent:   ${withheld.join(', ')} (health details: add --data health to send them)`);
	console.log('Signing secret (shown only now; the receiver verifies webhook-signature with it):');
	console.log(result.secret);
	return 0;
}

async function apiKeyCommand(action: string | undefined, rest: string[]): Promise<number> {
	if (action === 'list') {
		for (const key of await listApiKeys())
			console.log([key.prefix, key.id, key.name, key.programmeIds.join(','), key.access, `data ${scopesCode(key.dataScopes)}`, key.revokedAt ? `revoked ${key.revokedAt.toISOString()}` : 'active', key.lastUsedAt ? `last used ${key.lastUsedAt.toISOString()}` : 'never used'].join('\t'));
		return 0;
	}
	if (action === 'revoke') {
		const { values } = parseArgs({ args: rest, options: { prefix: { type: 'string' } }, strict: true });
		if (!values.prefix) {
			console.error(`--prefix is needed.\n\n${USAGE}`);
			return 2;
		}
		const result = await revokeApiKey(values.prefix, COMMAND_LINE);
		if (!result.ok) {
			const why = {
				'not-found': 'No API key has that prefix. Give the 12 characters printed by create and list, like ips_k3m9x2ab (or the key\'s id).',
				ambiguous: 'Two API keys have that prefix: give the id from "api-key list" instead.',
				'already-revoked': 'That API key was already revoked.'
			};
			console.error(why[result.reason]);
			return result.reason === 'already-revoked' ? 0 : 2;
		}
		console.log(`Revoked API key ${result.apiKey.prefix} (${result.apiKey.name}). Requests with it now get 401 revoked_key.`);
		return 0;
	}
	if (action !== 'create') {
		console.error(USAGE);
		return 2;
	}
	const { values } = parseArgs({ args: rest, options: { name: { type: 'string' }, programme: { type: 'string', multiple: true }, 'read-only': { type: 'boolean' }, data: { type: 'string', multiple: true } }, strict: true });
	if (!values.name || !values.programme?.length) {
		console.error(`--name and --programme are needed.\n\n${USAGE}`);
		return 2;
	}
	if (getConfig().SEED === 'demo') await seedProgrammes();
	const result = await createApiKey(
		{ name: values.name, programmeIds: values.programme.flatMap((p) => p.split(',')).map((p) => p.trim()).filter(Boolean), access: values['read-only'] ? 'read-only' : 'read-write', dataScopes: (values.data ?? []).flatMap((d) => d.split(',')).map((d) => d.trim()).filter(Boolean) },
		COMMAND_LINE
	);
	if (!result.ok) return refused(result.errors, { name: '--name', programmeIds: '--programme', dataScopes: '--data' });
	console.log(`Created ${result.apiKey.access} API key ${result.apiKey.prefix} "${result.apiKey.name}" for ${result.apiKey.programmeIds.join(', ')}, data ${scopesCode(result.apiKey.dataScopes)}`);
	console.log('The key (shown only now; only its hash is stored). Send it as "Authorization: Bearer <key>":');
	console.log(result.key);
	return 0;
}

/** `backup --out FILE [--format data|sql]` and `restore --from FILE`: the embedded database (DATA_DIR). */
async function backupCommand(area: 'backup' | 'restore', args: string[]): Promise<number> {
	const config = getConfig();
	if (config.DATABASE_URL) {
		console.error(
			`DATABASE_URL is set, so the database is PostgreSQL: ${area === 'backup' ? 'back it up with pg_dump (or point-in-time recovery)' : 'restore it with pg_restore or psql'}, as docs/operations.md says. This command is for the embedded database in DATA_DIR.`
		);
		return 2;
	}
	const dataDir = path.resolve(config.DATA_DIR);
	if (area === 'restore') {
		const { values } = parseArgs({ args, options: { from: { type: 'string' } }, strict: true });
		if (!values.from) {
			console.error(`--from is needed.

${USAGE}`);
			return 2;
		}
		const counts = await restoreBackup(values.from, dataDir);
		console.log(`Restored ${values.from} into ${dataDir}: ${counts.referrals} referrals, ${counts.meetings} meetings, ${counts.checkIns} check-ins, ${counts.events} events.`);
		console.log(`Start the portal with DATA_DIR=${dataDir} (it brings the database up to date with its migrations on start).`);
		return 0;
	}
	const { values } = parseArgs({ args, options: { out: { type: 'string' }, format: { type: 'string' } }, strict: true });
	const format = values.format ?? 'data';
	if (!values.out || (format !== 'data' && format !== 'sql')) {
		console.error(`${values.out ? '--format must be data or sql' : '--out is needed'}.

${USAGE}`);
		return 2;
	}
	try {
		const { bytes } = await backupDataDir(dataDir, values.out, format);
		console.log(`Backed up ${dataDir} to ${values.out} (${format === 'data' ? 'the data folder, gzipped' : 'a SQL dump'}, ${bytes} bytes).`);
		console.log(`Restore it with: DATA_DIR=<a new folder> npm run cli -- restore --from ${values.out}`);
		return 0;
	} catch (error) {
		if (!(error instanceof DataDirInUseError)) throw error;
		console.error(
			[
				`${error.holder.by === 'the portal' ? 'The portal' : `Another process (${error.holder.by})`} (process ${error.holder.pid}) has the embedded database in ${dataDir} open, and only one process may use it at a time, so this command cannot read it now. Either:`,
				'  - stop the portal (Ctrl+C, or SIGTERM) and run this command again; or',
				'  - let the running portal back itself up: start it with BACKUP_DIR=<a folder> (a backup every BACKUP_INTERVAL_MINUTES, default 60; the newest BACKUP_KEEP, default 48, are kept), and copy the newest file from that folder.',
				`If no portal is running, delete ${path.join(dataDir, LOCK_FILE)} and try again.`
			].join('\n')
		);
		return 1;
	}
}

async function reportCommand(action: string | undefined, rest: string[]): Promise<number> {
	const { values } = parseArgs({
		args: rest,
		options: { programme: { type: 'string', multiple: true }, from: { type: 'string' }, to: { type: 'string' }, format: { type: 'string' }, sharing: { type: 'boolean' } },
		strict: true
	});
	if (action !== 'kpis' || (values.format !== 'json' && values.format !== 'csv')) {
		console.error(`report kpis needs --format json or csv.\n\n${USAGE}`);
		return 2;
	}
	const today = ukDate(new Date());
	const from = values.from ?? `${Number(today.slice(0, 4)) - 1}${today.slice(4)}`.replace(/-02-29$/, '-02-28');
	const to = values.to ?? today;
	for (const [flag, date] of [['--from', from], ['--to', to]] as const)
		if (!isIsoDate(date)) {
			console.error(`${flag}: use a date like 2026-04-01`);
			return 2;
		}
	if (from > to) {
		console.error('--from: the first day must be on or before the last (--to)');
		return 2;
	}
	const known = await allProgrammeIds();
	const unknown = (values.programme ?? []).filter((id) => !known.includes(id));
	if (unknown.length) {
		console.error(`--programme: no programme ${unknown.join(', ')} (there are: ${known.join(', ')})`);
		return 2;
	}
	const report = await outcomesReport({ programmeIds: values.programme?.length ? values.programme : known, from, to });
	if (values.format === 'json') console.log(JSON.stringify(outcomesJson(report), null, 2));
	else {
		const csv = outcomesCsvRows(report, { sharing: values.sharing, threshold: getConfig().REPORT_SMALL_NUMBER });
		process.stdout.write((csv.note ? csvRow([csv.note]) : '') + [csv.header, ...csv.rows].map(csvRow).join(''));
	}
	return 0;
}

async function erasureCommand(action: string | undefined, rest: string[]): Promise<number> {
	const { values, positionals } = parseArgs({ args: rest, options: { reason: { type: 'string' }, note: { type: 'string' } }, allowPositionals: true, strict: true });
	const reference = positionals[0];
	try {
		if (action === 'list') {
			const open = await openErasureRequests(await allProgrammeIds());
			if (!open.length) console.log('No deletion requests are waiting.');
			for (const r of open) console.log([r.reference, `asked ${ukDate(r.requestedAt)}`, `answer by ${r.dueBy}`].join('\t'));
			return 0;
		}
		if ((action === 'carry-out' || action === 'refuse') && reference) {
			if (action === 'carry-out') {
				const result = await carryOutErasure({ kind: 'command-line' }, reference);
				if (!result.ok) return (console.error(result.message), 1);
				console.log(`The personal data of referral ${result.reference} was erased.`);
				return 0;
			}
			if (!values.reason || !(ERASURE_REFUSAL_CODES as string[]).includes(values.reason)) {
				console.error(`--reason: one of ${ERASURE_REFUSAL_CODES.join(', ')}`);
				return 2;
			}
			if (!values.note?.trim()) {
				console.error('--note: a note for the record is needed');
				return 2;
			}
			const result = await refuseErasure({ kind: 'command-line' }, reference, values.reason as ErasureRefusalReason, values.note.trim());
			if (!result.ok) return (console.error(result.message), 1);
			console.log(`The request for referral ${result.reference} was refused (${values.reason}); the person is emailed the reason.`);
			return 0;
		}
	} catch (error) {
		if (error instanceof Refusal) {
			console.error(`No referral has the reference ${reference}.`);
			return 1;
		}
		throw error;
	}
	console.error(USAGE);
	return 2;
}

async function retentionCommand(action: string | undefined, rest: string[]): Promise<number> {
	const { values } = parseArgs({ args: rest, options: { 'dry-run': { type: 'boolean' } }, strict: true });
	if (action !== 'run') {
		console.error(USAGE);
		return 2;
	}
	const dryRun = values['dry-run'] === true;
	const { due, erased } = await runRetention({ dryRun });
	for (const r of due) console.log([r.reference, r.programmeId, `closed ${r.closedOn}`, `erasable from ${r.erasableFrom}`, dryRun ? 'would be erased' : erased.includes(r.reference) ? 'erased' : 'not erased'].join('\t'));
	console.log(dryRun ? `${due.length} referral(s) past their retention period; nothing was erased (--dry-run).` : `${erased.length} referral(s) erased.`);
	return 0;
}

async function main(argv: string[]): Promise<number> {
	const [area, action, ...rest] = argv;
	if (area === 'measures') return measuresCommand(argv.slice(1)); // pure: no database
	setDatabaseUser('a command (npm run cli)');
	if (area === 'backup' || area === 'restore') return backupCommand(area, argv.slice(1));
	if (area === 'staff') return staffCommand(action, rest);
	if (area === 'api-key') return apiKeyCommand(action, rest);
	if (area === 'webhook') return webhookCommand(action, rest);
	if (area === 'report') return reportCommand(action, rest);
	if (area === 'erasure') return erasureCommand(action, rest);
	if (area === 'retention') return retentionCommand(action, rest);
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
	const result = await createLink(
		{ code: values.code, sourceCode: values.source, odsCode: values.ods ?? '', programmeId: values.programme ?? '', label: values.label },
		COMMAND_LINE
	);
	if (!result.ok) return refused(result.errors, { code: '--code', sourceCode: '--source', odsCode: '--ods', programmeId: '--programme', label: '--label' });
	const link = result.link;
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
