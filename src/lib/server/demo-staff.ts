/**
 * Demo staff for trying the portal (SEED=demo only): created once, when there are no staff at all.
 * Their passwords and authenticator secrets are public (README), so never run a live service with SEED=demo.
 */
import { count } from 'drizzle-orm';
import { createStaff } from './auth/staff';
import { getDb } from './db';
import { staff } from './db/schema';
import { log } from './log';

export const DEMO_PASSWORD = 'demo password 2026';

export const DEMO_STAFF = [
	{ email: 'admin@ips.example', name: 'Ada Admin', role: 'admin', programmeIds: ['gm-ips-primary-care', 'gm-ips-secondary-care'], practices: [], totpSecret: 'JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP' },
	{ email: 'lead@ips.example', name: 'Lee Lead', role: 'team-lead', programmeIds: ['gm-ips-primary-care'], practices: [], totpSecret: 'KRSXG5CTMVRXEZLUKRSXG5CTMVRXEZLU' },
	{ email: 'sam.specialist@ips.example', name: 'Sam Specialist', role: 'specialist', programmeIds: ['gm-ips-primary-care'], practices: ['P84001'], totpSecret: 'ONSWG4TFOQYTEMZUONSWG4TFOQYTEMZU' },
	{ email: 'sol.secondary@ips.example', name: 'Sol Secondary', role: 'specialist', programmeIds: ['gm-ips-secondary-care'], practices: [], totpSecret: 'MFRGGZDFMZTWQ2LKMFRGGZDFMZTWQ2LK' }
] as const;

export async function seedDemoStaff(): Promise<void> {
	const db = await getDb();
	const [{ n }] = await db.select({ n: count() }).from(staff);
	if (n > 0) return;
	for (const person of DEMO_STAFF) {
		try {
			await createStaff({ ...person, programmeIds: [...person.programmeIds], practices: [...person.practices], password: DEMO_PASSWORD }, { totpSecret: person.totpSecret });
		} catch (error) {
			// Another instance starting at the same moment created them first.
			const code = (error as { code?: string; cause?: { code?: string } }).code ?? (error as { cause?: { code?: string } }).cause?.code;
			if (code !== '23505') throw error;
		}
	}
	// Their password and authenticator secrets are in the README; secrets never go to the log.
	log.info('demo staff created: sign in at /staff/sign-in with the demo accounts listed in the README', { count: DEMO_STAFF.length });
}
