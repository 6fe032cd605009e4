/**
 * Every event body in the database, checked against the published JSON Schema (/api/v1/schema/events.json)
 * with Ajv, as an independent receiver would (formats included). tests/integration/setup-file.ts runs it
 * after every integration test file, on PGlite and on PostgreSQL: an event whose body is missing or fails
 * its own schema fails the file that wrote it.
 */
import { Ajv2020 } from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';
import { asc } from 'drizzle-orm';
import { siteOrigin } from '../../src/lib/server/config';
import { getDb } from '../../src/lib/server/db';
import { event } from '../../src/lib/server/db/schema';
import { eventPayloadJsonSchema } from '../../src/lib/server/events/payload';

let validate: ReturnType<Ajv2020['compile']> | undefined;

/** One line per event that has no body or whose body fails the published schema; empty when all are valid. */
export async function invalidEventBodies(): Promise<string[]> {
	if (!validate) {
		const ajv = new Ajv2020({ strict: false, allErrors: true });
		addFormats.default(ajv);
		validate = ajv.compile(eventPayloadJsonSchema(siteOrigin()));
	}
	const db = await getDb();
	const rows = await db.select({ id: event.id, type: event.type, body: event.body }).from(event).orderBy(asc(event.id));
	const problems: string[] = [];
	for (const row of rows) {
		if (!row.body) {
			problems.push(`event ${row.id} (${row.type}) has no body`);
			continue;
		}
		if (!validate(JSON.parse(row.body)))
			problems.push(`event ${row.id} (${row.type}): ${(validate.errors ?? []).map((e) => `${e.instancePath} ${e.message}`).join('; ').slice(0, 500)}`);
	}
	return problems;
}
