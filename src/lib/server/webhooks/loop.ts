/**
 * The webhook loop, started from hooks.server.ts `init` in every app instance: new events into
 * deliveries (fanout.ts), then due deliveries sent (deliver.ts), every WEBHOOK_POLL_MS. All its state is in
 * the database, so instances share the work and a restart loses nothing. It runs beside the web server
 * and never inside a request: a slow or failing receiver costs a referral nothing.
 */
import { getConfig } from '../config';
import { log } from '../log';
import { deliverDue, type DeliverOptions, type DeliverResult } from './deliver';
import { fanOutEvents, FANOUT_BATCH } from './fanout';

export interface PassResult extends DeliverResult {
	events: number;
}

/**
 * One pass: fan-out and delivery in turns until there is nothing new and nothing due (or `signal` says
 * stop). With options, tests drive it step by step on a clock of their own.
 */
export async function runWebhooksOnce(options: DeliverOptions = {}): Promise<PassResult> {
	const total: PassResult = { events: 0, claimed: 0, delivered: 0, retrying: 0, dead: 0 };
	for (;;) {
		if (options.signal?.aborted) break;
		const events = await fanOutEvents({ now: options.now });
		total.events += events;
		if (options.signal?.aborted) break;
		const batch = await deliverDue(options);
		total.claimed += batch.claimed;
		total.delivered += batch.delivered;
		total.retrying += batch.retrying;
		total.dead += batch.dead;
		if (events < FANOUT_BATCH && batch.claimed === 0) break;
	}
	return total;
}

export interface WebhookLoop {
	/** Runs a pass soon instead of at the next tick. */
	kick: () => void;
	/** Stops the timer, cuts requests in flight (their deliveries go back to the queue) and waits for the pass. */
	stop: () => Promise<void>;
}

function describeError(error: unknown): Record<string, unknown> {
	const cause = (error as { cause?: unknown })?.cause;
	const inner = cause instanceof Error ? cause : error;
	return { message: inner instanceof Error ? inner.message.slice(0, 300) : String(inner).slice(0, 300), code: (inner as { code?: unknown })?.code };
}

let running: WebhookLoop | undefined;

/** Starts the timer loop. One per process; calling it again returns the running one. */
export function startWebhooks(pollMs = getConfig().WEBHOOK_POLL_MS): WebhookLoop {
	if (running) return running;
	const stopping = new AbortController();
	let timer: ReturnType<typeof setTimeout> | undefined;
	let pass: Promise<void> | undefined;

	const schedule = (ms: number) => {
		clearTimeout(timer);
		timer = setTimeout(run, ms);
		timer.unref();
	};
	const run = () => {
		if (pass || stopping.signal.aborted) return;
		pass = runWebhooksOnce({ signal: stopping.signal })
			.then(
				(r) => {
					if (r.events || r.claimed) log.debug('webhook pass', { ...r });
				},
				(error) => log.error('webhook pass failed; trying again at the next tick', { error: describeError(error) })
			)
			.finally(() => {
				pass = undefined;
				if (!stopping.signal.aborted) schedule(pollMs);
			});
	};
	schedule(0);
	log.info('webhooks started', { pollMs });

	const loop: WebhookLoop = {
		kick: () => schedule(0),
		stop: async () => {
			stopping.abort();
			clearTimeout(timer);
			await pass;
			if (running === loop) running = undefined;
			log.info('webhooks stopped');
		}
	};
	running = loop;
	return loop;
}
