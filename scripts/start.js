// Serves the built portal (adapter-node). Defaults suit one machine; see README for settings.
process.env.PORT ??= '3000';
// Form posts are refused unless ORIGIN matches the address in the browser.
process.env.ORIGIN ??= `http://localhost:${process.env.PORT}`;
process.env.BODY_SIZE_LIMIT ??= '256K';
await import('../build/index.js');
