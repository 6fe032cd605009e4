import { simpleParser, type ParsedMail } from 'mailparser';
import { SMTPServer } from 'smtp-server';

/** A real SMTP listener on localhost that keeps every message it receives. */
export async function startSmtp(port = 0) {
	const messages: ParsedMail[] = [];
	const waiting: (() => void)[] = [];
	const server = new SMTPServer({
		authOptional: true,
		disabledCommands: ['STARTTLS'],
		logger: false,
		onData(stream, _session, callback) {
			simpleParser(stream)
				.then((mail) => {
					messages.push(mail);
					waiting.splice(0).forEach((w) => w());
					callback();
				})
				.catch(callback);
		}
	});
	await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', () => resolve()));
	const address = server.server.address() as { port: number };
	return {
		port: address.port,
		url: `smtp://127.0.0.1:${address.port}`,
		messages,
		/** Resolves with the first message to `to` (waits up to `ms`). */
		async waitFor(to: string, ms = 15_000): Promise<ParsedMail> {
			const deadline = Date.now() + ms;
			for (;;) {
				const found = messages.find((m) => (Array.isArray(m.to) ? m.to : [m.to]).some((a) => a?.text.includes(to)));
				if (found) return found;
				if (Date.now() > deadline) throw new Error(`no email to ${to} within ${ms} ms (got ${messages.length})`);
				await new Promise<void>((resolve) => {
					waiting.push(resolve);
					setTimeout(resolve, 250);
				});
			}
		},
		close: () => new Promise<void>((resolve) => server.close(() => resolve()))
	};
}
