/**
 * A local stand-in for GOV.UK Notify's API (POST /v2/notifications/email and /sms). Every request must carry
 * a bearer token signed as Notify checks it: HS256 over header and payload with the API key's secret, `iss`
 * the service id, `iat` within 30 seconds; anything else, or a path not accepted, is answered 403 as Notify
 * answers a bad token. `status` may be set to answer every accepted request with an error instead.
 */
import { createHmac, randomUUID, timingSafeEqual } from 'node:crypto';
import { createServer } from 'node:http';

export type NotifyPath = '/v2/notifications/email' | '/v2/notifications/sms';

/** The JSON body the portal sent (the fields the tests read). */
export interface NotifyRequestBody {
	template_id: string;
	email_address?: string;
	phone_number?: string;
	reference?: string;
	personalisation: Record<string, string> & { body: string; subject?: string };
}

export interface NotifyStandIn {
	/** Where NOTIFY_BASE_URL points. */
	url: string;
	/** The NOTIFY_API_KEY for this stand-in's service and secret. */
	apiKey: string;
	/** The answer to an accepted request: 201 (sent) unless a test sets another. */
	status: number;
	close: () => Promise<void>;
}

/** Whether `header` is a bearer token Notify would accept for this service. */
export function validNotifyToken(header: string | undefined, serviceId: string, secret: string): boolean {
	const token = header?.replace(/^Bearer /, '') ?? '';
	const [head, payload, signature] = token.split('.');
	if (!head || !payload || !signature) return false;
	const expected = createHmac('sha256', secret).update(`${head}.${payload}`).digest('base64url');
	if (expected.length !== signature.length || !timingSafeEqual(Buffer.from(expected), Buffer.from(signature))) return false;
	const claims = JSON.parse(Buffer.from(payload, 'base64url').toString());
	return claims.iss === serviceId && Math.abs(claims.iat - Date.now() / 1000) < 30;
}

/**
 * Listens on 127.0.0.1; `onSent` is called with each request it answers 201, in the order they arrive.
 */
export async function startNotifyStandIn(options: {
	serviceId: string;
	secret: string;
	paths: NotifyPath[];
	onSent: (path: NotifyPath, body: NotifyRequestBody) => void;
}): Promise<NotifyStandIn> {
	const server = createServer((req, res) => {
		let data = '';
		req.on('data', (c) => (data += c));
		req.on('end', () => {
			res.setHeader('content-type', 'application/json');
			const path = req.url as NotifyPath;
			if (req.method !== 'POST' || !options.paths.includes(path) || !validNotifyToken(req.headers.authorization, options.serviceId, options.secret)) {
				res.statusCode = 403;
				res.end(JSON.stringify({ status_code: 403, errors: [{ error: 'AuthError', message: 'Invalid token' }] }));
				return;
			}
			if (standIn.status !== 201) {
				res.statusCode = standIn.status;
				res.end(JSON.stringify({ status_code: standIn.status, errors: [{ error: 'Exception', message: 'Internal server error' }] }));
				return;
			}
			const body = JSON.parse(data) as NotifyRequestBody;
			options.onSent(path, body);
			const { subject, body: text } = body.personalisation ?? {};
			const content = path === '/v2/notifications/sms' ? { body: text, from_number: 'IPS' } : { subject, body: text, from_email: 'ips@notifications.service.gov.uk' };
			res.statusCode = 201;
			res.end(JSON.stringify({ id: randomUUID(), reference: body.reference, content, uri: '', template: { id: body.template_id, version: 1, uri: '' } }));
		});
	});
	await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
	const { port } = server.address() as { port: number };
	const standIn: NotifyStandIn = {
		url: `http://127.0.0.1:${port}`,
		apiKey: `ips_test-${options.serviceId}-${options.secret}`,
		status: 201,
		close: () => new Promise<void>((resolve) => server.close(() => resolve()))
	};
	return standIn;
}
