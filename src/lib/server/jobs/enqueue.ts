/**
 * Queueing jobs that are looked for again and again (reminders): rows inserted in batches, a row whose
 * unique key is already there adding nothing, so queueing the same work twice is harmless.
 */
import { getDb } from '../db';
import { job, type NewJob } from '../db/schema';

/** Inserts the rows 200 at a time; returns how many were new. */
export async function enqueueJobs(rows: NewJob[]): Promise<number> {
	if (!rows.length) return 0;
	const db = await getDb();
	let queued = 0;
	for (let i = 0; i < rows.length; i += 200) {
		const inserted = await db.insert(job).values(rows.slice(i, i + 200)).onConflictDoNothing({ target: job.key }).returning({ id: job.id });
		queued += inserted.length;
	}
	return queued;
}

/** One reminder row per channel the person can be reached on: email, and text only with their consent to texts. */
export function reminderRows(
	base: Omit<NewJob, 'key' | 'channel' | 'recipient'>,
	person: { email: string | null; phone: string | null; textConsent: boolean },
	key: (channel: 'email' | 'text') => string
): NewJob[] {
	const rows: NewJob[] = [];
	if (person.email) rows.push({ ...base, key: key('email'), channel: 'email', recipient: person.email });
	if (person.phone && person.textConsent) rows.push({ ...base, key: key('text'), channel: 'text', recipient: person.phone });
	return rows;
}
