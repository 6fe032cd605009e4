/** The "Download your data" JSON file, for the person and for a subject access request alike. */
import { yourDataFileName, type YourData } from '$lib/server/participants/your-data';

export function yourDataDownload(data: YourData): Response {
	return new Response(`${JSON.stringify(data, null, 2)}\n`, {
		headers: {
			'content-type': 'application/json; charset=utf-8',
			'content-disposition': `attachment; filename="${yourDataFileName(data.referral.reference)}"`,
			'cache-control': 'no-store'
		}
	});
}
