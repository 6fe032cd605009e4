// Paraglide JS's options, one place for the Vite plugin (vite.config.ts) and the compile step run before
// svelte-check and the command line (scripts/i18n-compile.js). The plugin for the message files is loaded
// from node_modules (project.inlang/settings.json), not from a CDN: builds work offline.
// Strategy: only the base locale. The server sets each request's locale itself (src/lib/server/i18n.ts:
// ?lang= link, cookie, Accept-Language; staff pages English), and no participant page runs the client.
export const paraglideOptions = {
	project: './project.inlang',
	outdir: './src/lib/paraglide',
	strategy: ['baseLocale'],
	emitReadme: false,
	emitPrettierIgnore: false
};
