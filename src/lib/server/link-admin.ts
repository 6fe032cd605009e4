/**
 * Fit Note and campaign links for admins: listing with full addresses, creating (validated, audited)
 * and their QR codes as SVG and PNG downloads.
 */
import { eq } from 'drizzle-orm';
import QRCode from 'qrcode';
import { isOdsPracticeCode, isSourceCode } from '$lib/domain/sources';
import { recordAudit } from './audit';
import { getConfig } from './config';
import { getDb } from './db';
import { programme, referralLink } from './db/schema';
import { createLink, linkQrSvg } from './links';

export interface LinkFormValues {
	code: string;
	sourceCode: string;
	odsCode: string;
	programmeId: string;
	label: string;
}

/** The public address links and QR codes point at: ORIGIN when set, else the address of this request. */
export function publicOrigin(requestOrigin: string): string {
	return (getConfig().ORIGIN ?? requestOrigin).replace(/\/+$/, '');
}

export function linkUrl(origin: string, code: string): string {
	return `${origin}/r/${code}`;
}

export function readLinkForm(form: FormData): LinkFormValues {
	const text = (name: string, max = 300) => String(form.get(name) ?? '').slice(0, max).trim();
	return {
		code: text('code', 80).toLowerCase(),
		sourceCode: text('sourceCode', 40),
		odsCode: text('odsCode', 20).toUpperCase(),
		programmeId: text('programmeId', 60),
		label: text('label')
	};
}

export async function getLink(code: string) {
	if (!/^[a-z0-9-]{1,40}$/.test(code)) return null;
	const db = await getDb();
	const [row] = await db.select().from(referralLink).where(eq(referralLink.code, code));
	return row ?? null;
}

export type CreateLinkResult = { ok: true; code: string } | { ok: false; errors: Record<string, string> };

export async function createLinkAsAdmin(values: LinkFormValues, adminId: string): Promise<CreateLinkResult> {
	const errors: Record<string, string> = {};
	if (!/^[a-z0-9-]{2,40}$/.test(values.code)) errors.code = 'Enter a link code of 2 to 40 lower-case letters, digits and dashes, like gp-p84001';
	else if (await getLink(values.code)) errors.code = 'There is already a link with this code';
	if (!isSourceCode(values.sourceCode)) errors.sourceCode = 'Choose the source the link stands for';
	if (values.odsCode && !isOdsPracticeCode(values.odsCode)) errors.odsCode = 'A GP practice ODS code is a letter and five digits, like P84001';
	const db = await getDb();
	if (values.programmeId) {
		const [known] = await db.select({ id: programme.id }).from(programme).where(eq(programme.id, values.programmeId));
		if (!known) errors.programmeId = 'Choose a programme from the list';
	}
	if (!values.label) errors.label = 'Enter a label, like "Fit Note, Example Surgery"';
	else if (values.label.length > 200) errors.label = 'The label must be 200 characters or fewer';
	if (Object.keys(errors).length) return { ok: false, errors };
	try {
		await createLink({ code: values.code, sourceCode: values.sourceCode, odsCode: values.odsCode || null, programmeId: values.programmeId || null, label: values.label });
	} catch (error) {
		const e = error as { code?: string; cause?: { code?: string } };
		if ((e.code ?? e.cause?.code) === '23505') return { ok: false, errors: { code: 'There is already a link with this code' } };
		throw error;
	}
	await recordAudit({
		staffId: adminId,
		action: 'link.created',
		programmeId: values.programmeId || null,
		detail: { code: values.code, sourceCode: values.sourceCode, odsCode: values.odsCode || null, label: values.label }
	});
	return { ok: true, code: values.code };
}

export function qrSvg(url: string): Promise<string> {
	return linkQrSvg(url);
}

/** A PNG large enough to print on a Fit Note or a poster. */
export function qrPng(url: string): Promise<Buffer> {
	return QRCode.toBuffer(url, { type: 'png', errorCorrectionLevel: 'M', margin: 4, width: 600 });
}
