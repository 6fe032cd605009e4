/**
 * The webhook loop, started from hooks.server.ts `init` in every app instance: new events into
 * deliveries and their jobs (fanout.ts), then the job worker run for the webhook kind only (deliver.ts
 * deliverDue), every WEBHOOK_POLL_MS. It is the webhooks' own lane on the one job table: the notifier's
 * worker never runs webhook jobs, so a slow receiver never delays a sign-in code. All its state is in the
 * database, so instances share the work and a restart loses nothing. It runs beside the web server and
 * never inside a request: a slow or failing receiver costs a referral nothing.
 */
import { getConfig } from '../config';
import { startLoop, type BackgroundLoop } from '../jobs/runner';
import { deliverDue, type DeliverOptions, type DeliverResult } from './deliver';
import { sendFailureAlerts } from './failure-alerts';
import { fanOutEvents, FANOUT_BATCH } from './fanout';
import { describeError, log } from '../log';

/** How often each instance looks for subscriptions failing for a day (the email goes once per spell). */
const FAILURE_CHECK_MS = 10 * 60_000;
let lastFailureCheck = 0;

async function failureAlertsNow(): Promise<void> {
	if (Date.now() - lastFailureCheck < FAILURE_CHECK_MS) return;
	lastFailureCheck = Date.now();
	try {
		await sendFailureAlerts();
	} catch (error) {
		log.error('webhook failure alerts failed', { error: describeError(error) });
	}
}

export interface PassResult extends DeliverResult {
	events: number;
}

/**
 * One pass: fan-out and delivery in turns until there is nothing new and nothing due (or `signal` says
 * stop). With options, tests drive it step by step on a clock of their own.
 */
export async function runWebhooksOnce(options: DeliverOptions = {}): Promise<PassResult> {
	const total: PassResult = { events: 0, claimed: 0, delivered: 0, retrying: 0, dead: 0, deferred: 0 };
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
		total.deferred += batch.deferred;
		// Claims that were all given back (held back, shutting down) are no progress either.
		if (events < FANOUT_BATCH && batch.claimed === batch.deferred) break;
	}
	return total;
}

export type WebhookLoop = BackgroundLoop;

let running: WebhookLoop | undefined;

/** Starts the timer loop. One per process; calling it again returns the running one. */
export function startWebhooks(pollMs = getConfig().WEBHOOK_POLL_MS): WebhookLoop {
	if (running) return running;
	const loop = startLoop('webhooks', pollMs, async (signal) => {
		const result = await runWebhooksOnce({ signal });
		if (!signal.aborted) await failureAlertsNow();
		return result;
	});
	const webhooks: WebhookLoop = {
		kick: loop.kick,
		stop: async () => {
			await loop.stop();
			if (running === webhooks) running = undefined;
		}
	};
	running = webhooks;
	return webhooks;
}
