/**
 * Migration 0012 moves the three old queues (email_outbox, reminder_outbox, check_in_reminder) into the
 * job table: a database migrated to 0011 with rows in each, then migrated on, has every row as a job
 * (same id, status "sent" as "done", keys as the code now makes them) and the old tables gone. Migration
 * 0013 gives every waiting webhook delivery its job (tries, next try and last error kept, no lease) and
 * drops the delivery's own lease. On in-memory PGlites of their own, so they run the same whichever
 * database the other tests use.
 */
import { randomUUID } from 'node:crypto';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { drizzle } from 'drizzle-orm/pglite';
import { migrate } from 'drizzle-orm/pglite/migrator';
import { afterAll, describe, expect, it } from 'vitest';
import { checkInReminderKey } from '../../src/lib/server/measures/reminders';
import { emailJobKey } from '../../src/lib/server/notify/outbox';
import { webhookJobKey } from '../../src/lib/server/webhooks/deliver';

const folder = path.resolve('drizzle');
const before = mkdtempSync(path.join(tmpdir(), 'ips-migrations-'));
const before13 = mkdtempSync(path.join(tmpdir(), 'ips-migrations-'));
afterAll(() => {
	rmSync(before, { recursive: true, force: true });
	rmSync(before13, { recursive: true, force: true });
});

/** A copy of the migrations folder in `into` whose journal stops before `tag`. */
function migrationsBefore(into: string, tag: string): string {
	cpSync(folder, into, { recursive: true });
	const journal = JSON.parse(readFileSync(path.join(into, 'meta/_journal.json'), 'utf8')) as { entries: { tag: string }[] };
	journal.entries = journal.entries.filter((e) => e.tag < tag);
	writeFileSync(path.join(into, 'meta/_journal.json'), JSON.stringify(journal));
	return into;
}

describe('migration 0012: one job table', () => {
	it('moves every email, meeting reminder and check-in reminder into job, then drops the old tables', async () => {
		// The migrations up to 0011 alone.
		migrationsBefore(before, '0012');

		const pg = new PGlite();
		try {
			const db = drizzle(pg);
			await migrate(db, { migrationsFolder: before });
			const [eventId, meetingId, participantId] = [randomUUID(), randomUUID(), randomUUID()];
			const ids = { sent: randomUUID(), pending: randomUUID(), reminder: randomUUID(), checkIn: randomUUID() };
			const at = new Date('2030-01-02T03:04:05Z');
			// Rows as the old code wrote them (no meeting or participant behind them: foreign keys off).
			await pg.exec(`set session_replication_role = replica`);
			await pg.query(
				`insert into email_outbox (id, event_id, kind, "to", subject, body, status, attempts, next_attempt_at, sent_at, attachments, created_at)
				 values ($1, $3, 'referral.submitted', 'team@ips.example', 'New referral', 'Body', 'sent', 1, $4, $4, null, $4),
				        ($2, $3, 'referral.submitted', 'worker@ips.example', 'New referral', 'Body 2', 'pending', 2, $4, null, '[{"filename":"meeting.ics","contentType":"text/calendar","content":"X"}]', $4)`,
				[ids.sent, ids.pending, eventId, at]
			);
			await pg.query(
				`insert into reminder_outbox (id, key, meeting_id, channel, "to", due_at, status, attempts, next_attempt_at, last_error)
				 values ($1, $2, $3, 'text', '07700900123', $4, 'dropped', 0, $4, 'the meeting was moved')`,
				[ids.reminder, `meeting-reminder:${meetingId}:v1:120m:text`, meetingId, at]
			);
			await pg.query(
				`insert into check_in_reminder (id, key, participant_id, point_id, channel, "to", due_at, status, attempts, next_attempt_at)
				 values ($1, $2, $3, '3-months', 'email', 'p@ips.example', $4, 'pending', 0, $4)`,
				[ids.checkIn, `${participantId}:3-months:email`, participantId, at]
			);
			await pg.exec(`set session_replication_role = origin`);

			await migrate(db, { migrationsFolder: folder });

			const { rows } = await pg.query<Record<string, unknown>>(
				`select id, kind, key, status, attempts, due_at, next_attempt_at, done_at, last_error, payload, event_id, meeting_id, participant_id, channel, recipient
				 from job order by kind, recipient`
			);
			expect(rows).toEqual([
				expect.objectContaining({ id: ids.checkIn, kind: 'check_in.reminder', key: checkInReminderKey(participantId, '3-months', 'email'), status: 'pending', due_at: at, payload: { pointId: '3-months' }, participant_id: participantId, channel: 'email', recipient: 'p@ips.example' }),
				expect.objectContaining({ id: ids.sent, kind: 'email', key: emailJobKey(eventId, 'team@ips.example'), status: 'done', attempts: 1, done_at: at, event_id: eventId, channel: 'email', recipient: 'team@ips.example', payload: { kind: 'referral.submitted', subject: 'New referral', body: 'Body', attachments: null } }),
				expect.objectContaining({
					id: ids.pending,
					kind: 'email',
					key: emailJobKey(eventId, 'worker@ips.example'),
					status: 'pending',
					attempts: 2,
					done_at: null,
					next_attempt_at: at,
					payload: { kind: 'referral.submitted', subject: 'New referral', body: 'Body 2', attachments: [{ filename: 'meeting.ics', contentType: 'text/calendar', content: 'X' }] }
				}),
				expect.objectContaining({ id: ids.reminder, kind: 'meeting.reminder', key: `meeting-reminder:${meetingId}:v1:120m:text`, status: 'dropped', last_error: 'the meeting was moved', meeting_id: meetingId, channel: 'text', recipient: '07700900123' })
			]);
			const { rows: left } = await pg.query(`select table_name from information_schema.tables where table_name in ('email_outbox', 'reminder_outbox', 'check_in_reminder')`);
			expect(left).toEqual([]);
		} finally {
			await pg.close();
		}
	});
});

describe('migration 0013: webhook deliveries on the job table', () => {
	it('gives every waiting delivery its job with its tries, next try and last error, and drops the delivery lease', async () => {
		const pg = new PGlite();
		try {
			const db = drizzle(pg);
			await migrate(db, { migrationsFolder: migrationsBefore(before13, '0013') });
			const subscriptionId = randomUUID();
			const queued = new Date('2030-01-02T03:04:05Z');
			const next = new Date('2030-01-02T04:00:00Z');
			const leased = new Date('2030-01-02T03:05:00Z');
			// Rows as the old deliverer left them (no subscription or event behind them: foreign keys off).
			await pg.exec(`set session_replication_role = replica`);
			await pg.query(
				`insert into webhook_delivery (id, subscription_id, event_id, referral_id, status, attempts, next_attempt_at, locked_until, last_status_code, last_error, delivered_at, created_at)
				 values (11, $1, 101, null, 'pending', 3, $3, null, 500, 'HTTP 500', null, $2),
				        (12, $1, 102, null, 'pending', 1, $2, $4, null, null, null, $2),
				        (13, $1, 103, null, 'delivered', 1, $2, null, 204, null, $2, $2),
				        (14, $1, 104, null, 'dead', 80, $2, null, null, 'ECONNREFUSED', null, $2)`,
				[subscriptionId, queued, next, leased]
			);
			await pg.exec(`set session_replication_role = origin`);

			await migrate(db, { migrationsFolder: folder });

			const { rows } = await pg.query<Record<string, unknown>>(
				`select kind, key, status, attempts, due_at, next_attempt_at, locked_until, last_error, delivery_id from job order by delivery_id`
			);
			expect(rows).toEqual([
				{ kind: 'webhook.delivery', key: webhookJobKey(11), status: 'pending', attempts: 3, due_at: queued, next_attempt_at: next, locked_until: null, last_error: 'HTTP 500', delivery_id: 11 },
				{ kind: 'webhook.delivery', key: webhookJobKey(12), status: 'pending', attempts: 1, due_at: queued, next_attempt_at: queued, locked_until: null, last_error: null, delivery_id: 12 }
			]);
			// The deliveries themselves are unchanged: still the record pages and the API read.
			const { rows: deliveries } = await pg.query<Record<string, unknown>>(`select id, status, attempts, last_status_code from webhook_delivery order by id`);
			expect(deliveries).toEqual([
				{ id: 11, status: 'pending', attempts: 3, last_status_code: 500 },
				{ id: 12, status: 'pending', attempts: 1, last_status_code: null },
				{ id: 13, status: 'delivered', attempts: 1, last_status_code: 204 },
				{ id: 14, status: 'dead', attempts: 80, last_status_code: null }
			]);
			const { rows: columns } = await pg.query(`select column_name from information_schema.columns where table_name = 'webhook_delivery' and column_name = 'locked_until'`);
			expect(columns).toEqual([]);
		} finally {
			await pg.close();
		}
	});
});
