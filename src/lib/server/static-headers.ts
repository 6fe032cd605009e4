/**
 * adapter-node serves built assets and `static/` files itself, before `handle` runs, so the security
 * headers set there never reach them. Every response from this process gets `X-Content-Type-Options:
 * nosniff` here instead (a header the response sets itself wins).
 */
import { ServerResponse } from 'node:http';

const PATCHED = Symbol.for('ips.nosniff');

export function addNosniffToEveryResponse(): void {
	const proto = ServerResponse.prototype as ServerResponse & { [PATCHED]?: boolean };
	if (proto[PATCHED]) return;
	proto[PATCHED] = true;
	const writeHead = proto.writeHead;
	proto.writeHead = function (this: ServerResponse, ...args: Parameters<typeof writeHead>) {
		if (!this.headersSent && !this.hasHeader('x-content-type-options')) this.setHeader('X-Content-Type-Options', 'nosniff');
		return writeHead.apply(this, args);
	} as typeof writeHead;
}
