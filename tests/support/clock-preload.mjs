/**
 * A controllable clock for the built portal in browser tests, loaded with `node --import` before the
 * server starts (tests/e2e/support/server.ts `startServer(env, dir, { clock })`). Only `Date` is moved:
 * `new Date()` and `Date.now()` read the real clock plus an offset, so time still passes; timers, and the
 * embedded database (whose now() reads Date.now), keep working. The test moves the clock over the IPC
 * channel: `{ clock: '2026-12-07T13:00:00Z' }`, answered with `{ clockSet }` once it has moved. The portal's
 * own code is unchanged: nothing in src knows about this file.
 */
const RealDate = Date;
let offset = process.env.TEST_CLOCK_START ? RealDate.parse(process.env.TEST_CLOCK_START) - RealDate.now() : 0;

function TestDate(...args) {
	if (!new.target) return new RealDate(RealDate.now() + offset).toString();
	return Reflect.construct(RealDate, args.length ? args : [RealDate.now() + offset], new.target);
}
TestDate.prototype = RealDate.prototype;
Object.setPrototypeOf(TestDate, RealDate);
TestDate.now = () => RealDate.now() + offset;
TestDate.parse = RealDate.parse;
TestDate.UTC = RealDate.UTC;
globalThis.Date = TestDate;

if (process.send) {
	process.on('message', (message) => {
		if (!message || typeof message.clock !== 'string') return;
		offset = RealDate.parse(message.clock) - RealDate.now();
		process.send({ clockSet: message.clock });
	});
	// The channel must not keep the server alive after SIGTERM.
	process.channel?.unref();
}
