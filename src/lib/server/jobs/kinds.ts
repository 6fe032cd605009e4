/**
 * The kinds of job the notifier's pass runs through the one worker (jobs/worker.ts), with their handlers.
 * A new kind of background work adds its handler here. Webhook deliveries are jobs too, but run in their
 * own lane (webhooks/loop.ts, webhooks/deliver.ts webhookHandler), so a slow receiver never delays these.
 */
import { JOB_REMINDER_JOB, jobReminderHandler } from '../casework/job-reminders';
import { CHECK_IN_REMINDER_JOB, checkInReminderHandler } from '../measures/reminders';
import { MEETING_REMINDER_JOB, meetingReminderHandler } from '../meetings/reminder-sender';
import { EMAIL_JOB, emailHandler, TEXT_JOB, textHandler } from '../notify/outbox';
import { runJobs, type Handlers, type WorkerResult } from './worker';

export const JOB_HANDLERS: Handlers = {
	[EMAIL_JOB]: emailHandler,
	[TEXT_JOB]: textHandler,
	[MEETING_REMINDER_JOB]: meetingReminderHandler,
	[CHECK_IN_REMINDER_JOB]: checkInReminderHandler,
	[JOB_REMINDER_JOB]: jobReminderHandler
};

/** Runs one batch of due jobs of these kinds (see runJobs). */
export function runDueJobs(options: { now?: Date; limit?: number; shouldStop?: () => boolean } = {}): Promise<WorkerResult> {
	return runJobs(JOB_HANDLERS, options);
}
