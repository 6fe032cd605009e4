// A tiny round-robin HTTP proxy for `npm run bench` (two portal instances on one PostgreSQL):
// node bench/proxy.js <port> <upstream port> <upstream port> ... Keep-alive on both sides.
import http from 'node:http';

const [port, ...upstreams] = process.argv.slice(2).map(Number);
const agent = new http.Agent({ keepAlive: true, maxSockets: 64 });
let next = 0;
http
	.createServer((req, res) => {
		const target = upstreams[next++ % upstreams.length];
		const up = http.request({ host: '127.0.0.1', port: target, method: req.method, path: req.url, headers: req.headers, agent }, (r) => {
			res.writeHead(r.statusCode ?? 502, r.rawHeaders);
			r.pipe(res);
		});
		up.on('error', () => {
			if (!res.headersSent) res.writeHead(502);
			res.end();
		});
		req.pipe(up);
	})
	.listen(port, '127.0.0.1', () => console.log(`proxy on ${port}`));
