import { eq } from 'drizzle-orm';
import QRCode from 'qrcode';
import { isOdsPracticeCode, isSourceCode, type ReferralSource } from '$lib/domain/sources';
import { linkSchema, type LinkDefinition } from '$lib/domain/programme';
import { getDb } from './db';
import { referralLink } from './db/schema';

const CODE = /^[a-z0-9-]{1,40}$/;

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

export async function createLink(input: LinkDefinition) {
	const link = linkSchema.parse(input);
	if (!isSourceCode(link.sourceCode)) throw new Error(`Unknown source "${link.sourceCode}"`);
	if (link.odsCode && !isOdsPracticeCode(link.odsCode)) throw new Error(`"${link.odsCode}" is not a GP practice ODS code`);
	const db = await getDb();
	const [row] = await db
		.insert(referralLink)
		.values({ code: link.code, sourceCode: link.sourceCode, odsCode: link.odsCode ?? null, programmeId: link.programmeId ?? null, label: link.label })
		.returning();
	return row;
}

export async function listLinks() {
	const db = await getDb();
	return db.select().from(referralLink).orderBy(referralLink.code);
}

/** The QR code for a link's full address, as an SVG document. */
export function linkQrSvg(url: string): Promise<string> {
	return QRCode.toString(url, { type: 'svg', errorCorrectionLevel: 'M', margin: 4 });
}
