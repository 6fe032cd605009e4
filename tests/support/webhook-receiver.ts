/**
 * A real HTTP receiver of webhooks for tests. Every request is checked with the standardwebhooks library
 * (`new Webhook(secret).verify(body, headers)`); one that fails verification is answered 400 and kept in
 * `rejected`, which tests assert is empty. It can answer 500, be slow, be stopped and come back on the
 * same port.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Webhook } from 'standardwebhooks';

export interface Received {
	id: string;
	timestamp: string;
	/** The body exactly as it arrived. */
	raw: string;
	/** The parsed body. */
	body: { type: string; id: string; timestamp: string; data: Record<string, unknown> & { reference: string; sequence: number } };
	/** The status the receiver answered; 0 when the sender had gone before the answer (not accepted). */
	answered: number;
	/** Order in which requests arrived / were answered, across the whole receiver. */
	arrivedAt: number;
	answeredAt: number;
}

export type Mode = 'ok' | 'fail' | ((r: Received) => number);

export interface Receiver {
	url: string;
	port: number;
	received: Received[];
	rejected: { headers: Record<string, string>; body: string; error: string }[];
	mode: Mode;
	/** Milliseconds to wait before answering; a function may vary it per request. */
	delayMs: number | (() => number);
	/** When set, every request waits for it before being answered (a receiver that hangs). */
	gate: Promise<void> | null;
	/** Requests verified and not yet answered. */
	inFlight: number;
	/** Requests verified so far (answered or not). */
	started: number;
	/** Requests whose sender closed the connection before the answer. */
	abandoned: number;
	/** Only those answered 2xx. */
	accepted: () => Received[];
	/** Stops listening (connections are refused) and closes open connections. */
	close: () => Promise<void>;
	/** Listens again on the same port. */
	reopen: () => Promise<void>;
}

function readBody(req: IncomingMessage): Promise<string> {
	return new Promise((resolve, reject) => {
		const chunks: Buffer[] = [];
		req.on('data', (c: Buffer) => chunks.push(c));
		req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
		req.on('error', reject);
	});
}

/**
 * Checks a request as `Webhook.verify` does, against a clock of the test's (a portal on a moved clock
 * signs with its own time): the signature over id, timestamp and body, and the timestamp within 5 minutes.
 */
function verifyAt(secret: string, body: string, headers: Record<string, string>, now: number): void {
	const id = headers['webhook-id'];
	const timestamp = Number(headers['webhook-timestamp']);
	if (!id || !Number.isInteger(timestamp)) throw new Error('Missing required headers');
	if (Math.abs(now / 1000 - timestamp) > 5 * 60) throw new Error('Message timestamp too old or too new');
	const expected = new Webhook(secret).sign(id, new Date(timestamp * 1000), body);
	const given = (headers['webhook-signature'] ?? '').split(' ');
	if (!given.includes(expected)) throw new Error('No matching signature found');
}

export async function startReceiver(
	secret: string | (() => string),
	options: { port?: number; mode?: Mode; delayMs?: number | (() => number); path?: string; clock?: () => number } = {}
): Promise<Receiver> {
	let counter = 0;
	let server: Server;
	const receiver: Receiver = {
		url: '',
		port: 0,
		received: [],
		rejected: [],
		mode: options.mode ?? 'ok',
		delayMs: options.delayMs ?? 0,
		gate: null,
		inFlight: 0,
		started: 0,
		abandoned: 0,
		accepted: () => receiver.received.filter((r) => r.answered >= 200 && r.answered < 300),
		close: async () => {
			await new Promise<void>((resolve) => {
				server.close(() => resolve());
				server.closeAllConnections();
			});
		},
		reopen: async () => {
			server = make();
			await new Promise<void>((resolve, reject) => {
				server.once('error', reject);
				server.listen(receiver.port, '127.0.0.1', () => resolve());
			});
		}
	};

	const handle = async (req: IncomingMessage, res: ServerResponse) => {
		const arrivedAt = ++counter;
		const body = await readBody(req);
		const headers = Object.fromEntries(Object.entries(req.headers).map(([k, v]) => [k, Array.isArray(v) ? v.join(',') : (v ?? '')]));
		try {
			const key = typeof secret === 'function' ? secret() : secret;
			if (options.clock) verifyAt(key, body, headers, options.clock());
			else new Webhook(key).verify(body, headers);
		} catch (error) {
			receiver.rejected.push({ headers, body, error: error instanceof Error ? error.message : String(error) });
			res.writeHead(400).end();
			return;
		}
		const r: Received = { id: headers['webhook-id'], timestamp: headers['webhook-timestamp'], raw: body, body: JSON.parse(body), answered: 0, arrivedAt, answeredAt: 0 };
		receiver.started++;
		let answered = false;
		res.on('close', () => {
			if (!answered) receiver.abandoned++;
		});
		receiver.inFlight++;
		try {
			const delay = typeof receiver.delayMs === 'function' ? receiver.delayMs() : receiver.delayMs;
			if (delay > 0) await new Promise((resolve) => setTimeout(resolve, delay));
			if (receiver.gate) await receiver.gate;
		} finally {
			receiver.inFlight--;
		}
		const mode = receiver.mode;
		// A sender that went away (killed, or gave up waiting) never learns the answer: not accepted.
		const gone = req.socket.destroyed || res.destroyed;
		r.answered = gone ? 0 : mode === 'ok' ? 204 : mode === 'fail' ? 500 : mode(r);
		r.answeredAt = ++counter;
		receiver.received.push(r);
		answered = true;
		if (!gone) res.writeHead(r.answered).end();
	};
	const make = () =>
		createServer((req, res) => {
			handle(req, res).catch(() => {
				if (!res.headersSent) res.writeHead(500).end();
			});
		});

	server = make();
	await new Promise<void>((resolve) => server.listen(options.port ?? 0, '127.0.0.1', () => resolve()));
	receiver.port = (server.address() as AddressInfo).port;
	receiver.url = `http://127.0.0.1:${receiver.port}${options.path ?? '/hooks'}`;
	return receiver;
}

/** Per webhook-id, how many times it was accepted; ids seen more than once are duplicates. */
export function countById(rows: Received[]): { counts: Map<string, number>; duplicates: number } {
	const counts = new Map<string, number>();
	for (const r of rows) counts.set(r.id, (counts.get(r.id) ?? 0) + 1);
	let duplicates = 0;
	for (const n of counts.values()) duplicates += n - 1;
	return { counts, duplicates };
}

/**
 * Events of one referral must arrive one after another: each one only after the one before it was
 * answered. Returns the violations (empty when the order held).
 */
export function orderViolations(rows: Received[]): string[] {
	const byReference = new Map<string, Received[]>();
	for (const r of [...rows].sort((a, b) => a.arrivedAt - b.arrivedAt)) {
		const list = byReference.get(r.body.data.reference) ?? [];
		list.push(r);
		byReference.set(r.body.data.reference, list);
	}
	const problems: string[] = [];
	for (const [reference, list] of byReference) {
		for (let i = 1; i < list.length; i++) {
			const before = list[i - 1];
			const after = list[i];
			if (after.body.data.sequence < before.body.data.sequence)
				problems.push(`${reference}: event ${after.body.data.sequence} arrived after ${before.body.data.sequence}`);
			else if (after.arrivedAt < before.answeredAt && after.body.data.sequence !== before.body.data.sequence)
				problems.push(`${reference}: event ${after.body.data.sequence} was sent before ${before.body.data.sequence} was answered`);
		}
	}
	return problems;
}
