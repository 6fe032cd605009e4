/**
 * Reading queued emails from the job table (kind 'email') in the shape tests check: the job's own columns
 * (status, attempts, lease, done_at...) with the email's address, kind, subject, body and attachments.
 */
import { and, eq, sql, type SQL } from 'drizzle-orm';
import type { PgColumn } from 'drizzle-orm/pg-core';
import { getDb } from '../../src/lib/server/db';
import { job, type EmailAttachment, type Job } from '../../src/lib/server/db/schema';

/** Columns to filter email jobs by. */
export const emailJob = {
	id: job.id,
	eventId: job.eventId,
	to: job.recipient,
	/** What the email is about, e.g. 'participant.sign_in'. */
	kind: sql<string>`${job.payload}->>'kind'`
};

export interface QueuedEmail extends Job {
	to: string;
	kind: string;
	subject: string;
	body: string;
	attachments: EmailAttachment[] | null;
}

export function asEmail(row: Job): QueuedEmail {
	return {
		...row,
		to: row.recipient ?? '',
		kind: row.payload.kind ?? '',
		subject: row.payload.subject ?? '',
		body: row.payload.body ?? '',
		attachments: row.payload.attachments ?? null
	};
}

/** Email jobs matching `where`, oldest first unless `orderBy` says otherwise. */
export async function queuedEmails(where?: SQL, orderBy: SQL | PgColumn = job.createdAt): Promise<QueuedEmail[]> {
	const db = await getDb();
	const rows = await db
		.select()
		.from(job)
		.where(and(eq(job.kind, 'email'), where))
		.orderBy(orderBy);
	return rows.map(asEmail);
}
