import { error } from '@sveltejs/kit';
import { requireStaff } from '$lib/http/guard';
import { getLink, linkUrl, publicOrigin, qrPng } from '$lib/server/links';
import type { RequestHandler } from './$types';

export const GET: RequestHandler = async (event) => {
	const user = requireStaff(event);
	const link = await getLink(event.params.code);
	if (!link) error(404, 'Not found');
	const png = await qrPng(linkUrl(publicOrigin(event.url.origin), link.code));
	return new Response(new Uint8Array(png), {
		headers: {
			'content-type': 'image/png',
			'content-disposition': `attachment; filename="ips-link-${link.code}.png"`,
			'cache-control': 'no-store'
		}
	});
};
