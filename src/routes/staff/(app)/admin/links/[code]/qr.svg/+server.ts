import { error } from '@sveltejs/kit';
import { requireStaff } from '$lib/http/guard';
import { getLink, linkQrSvg, linkUrl, publicOrigin } from '$lib/server/links';
import type { RequestHandler } from './$types';

export const GET: RequestHandler = async (event) => {
	const user = requireStaff(event);
	const link = await getLink(event.params.code);
	if (!link) error(404, 'Not found');
	const svg = await linkQrSvg(linkUrl(publicOrigin(event.url.origin), link.code));
	return new Response(svg, {
		headers: {
			'content-type': 'image/svg+xml; charset=utf-8',
			'content-disposition': `attachment; filename="ips-link-${link.code}.svg"`,
			'cache-control': 'no-store'
		}
	});
};
