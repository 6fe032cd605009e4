/** Structured JSON logs on stdout, one line per entry. */
type Level = 'debug' | 'info' | 'warn' | 'error';
const order: Record<Level, number> = { debug: 10, info: 20, warn: 30, error: 40 };

function write(level: Level, msg: string, fields?: Record<string, unknown>) {
	const min = (process.env.LOG_LEVEL as Level) || 'info';
	if (order[level] < (order[min] ?? 20)) return;
	const line = JSON.stringify({ time: new Date().toISOString(), level, msg, ...fields }, (_k, v) =>
		v instanceof Error ? { message: v.message, stack: v.stack } : v
	);
	(level === 'error' || level === 'warn' ? process.stderr : process.stdout).write(line + '\n');
}

export const log = {
	debug: (msg: string, fields?: Record<string, unknown>) => write('debug', msg, fields),
	info: (msg: string, fields?: Record<string, unknown>) => write('info', msg, fields),
	warn: (msg: string, fields?: Record<string, unknown>) => write('warn', msg, fields),
	error: (msg: string, fields?: Record<string, unknown>) => write('error', msg, fields)
};
