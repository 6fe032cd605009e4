/**
 * Fit Note and campaign links: what /r/<code> records, creating one (the admin page and
 * `npm run cli -- link create` both call createLink: same checks, same audit record), and QR codes.
 */
import { eq } from 'drizzle-orm';
import QRCode from 'qrcode';
import { validateRaw, type RawValues } from '$lib/domain/fields';
import { linkForm, normaliseLinkValues } from '$lib/domain/link-form';
import { isSourceCode, type ReferralSource } from '$lib/domain/sources';
import { recordAudit, type Actor } from './audit';
import { getConfig } from './config';
import { getDb } from './db';
import { programme, referralLink } from './db/schema';

const CODE = /^[a-z0-9-]{1,40}$/;
const TAKEN = 'There is already a link with this code';

/**
 * The source a /r/<code> link stands for. An unknown code still works: it is kept as the link code
 * with the source "other campaign", so nobody is turned away and the code can be traced later.
 */
export async function sourceForLink(rawCode: string): Promise<ReferralSource> {
	const code = rawCode.toLowerCase();
	if (!CODE.test(code)) return { code: 'other-campaign', linkCode: null, detail: 'unrecognised link' };
	const db = await getDb();
	const [link] = await db.select().from(referralLink).where(eq(referralLink.code, code));
	if (!link || !isSourceCode(link.sourceCode)) return { code: 'other-campaign', linkCode: code, detail: 'unknown link code' };
	return { code: link.sourceCode, odsCode: link.odsCode, linkCode: link.code };
}

export async function getLink(code: string) {
	if (!CODE.test(code)) return null;
	const db = await getDb();
	const [row] = await db.select().from(referralLink).where(eq(referralLink.code, code));
	return row ?? null;
}

/** The link form with the programmes a link may name. */
export async function linkFormFor() {
	const db = await getDb();
	return linkForm(await db.select({ id: programme.id, name: programme.name }).from(programme).orderBy(programme.name));
}

export type CreateLinkResult = { ok: true; link: typeof referralLink.$inferSelect } | { ok: false; raw: RawValues; errors: Record<string, string> };

/** Checks the link form's values, creates the link and audits `link.created`. */
export async function createLink(input: RawValues, actor: Actor): Promise<CreateLinkResult> {
	const raw = normaliseLinkValues(input);
	const parsed = validateRaw(await linkFormFor(), raw);
	if (!parsed.ok) return parsed;
	const values = parsed.values;
	if (await getLink(values.code)) return { ok: false, raw, errors: { code: TAKEN } };
	const db = await getDb();
	try {
		return await db.transaction(async (tx) => {
			const [link] = await tx.insert(referralLink).values(values).returning();
			await recordAudit(
				{ actor, action: 'link.created', programmeId: values.programmeId, detail: { code: values.code, sourceCode: values.sourceCode, odsCode: values.odsCode, label: values.label } },
				tx
			);
			return { ok: true, link } as const;
		});
	} catch (error) {
		const e = error as { code?: string; cause?: { code?: string } };
		if ((e.code ?? e.cause?.code) === '23505') return { ok: false, raw, errors: { code: TAKEN } };
		throw error;
	}
}

export async function listLinks() {
	const db = await getDb();
	return db.select().from(referralLink).orderBy(referralLink.code);
}

/** The public address links and QR codes point at: ORIGIN when set, else the address of this request. */
export function publicOrigin(requestOrigin: string): string {
	return (getConfig().ORIGIN ?? requestOrigin).replace(/\/+$/, '');
}

export function linkUrl(origin: string, code: string): string {
	return `${origin}/r/${code}`;
}

/** The QR code for a link's full address, as an SVG document. */
export function linkQrSvg(url: string): Promise<string> {
	return QRCode.toString(url, { type: 'svg', errorCorrectionLevel: 'M', margin: 4 });
}

/** A PNG large enough to print on a Fit Note or a poster. */
export function qrPng(url: string): Promise<Buffer> {
	return QRCode.toBuffer(url, { type: 'png', errorCorrectionLevel: 'M', margin: 4, width: 600 });
}
