import { sveltekit } from '@sveltejs/kit/vite';
import type { Plugin } from 'vite';
import { defineConfig } from 'vitest/config';

/**
 * The progress chart script (src/lib/client/progress-chart-main.ts, imported with ?worker&url) is bundled
 * on its own as a classic script. Written among the build's assets (after SvelteKit's own worker
 * settings), SvelteKit copies it to the client output although no page loads the SvelteKit client.
 */
function chartScriptWithAssets(): Plugin {
	return {
		name: 'ips-chart-script-with-assets',
		config: () => ({
			worker: {
				format: 'iife',
				rolldownOptions: { output: { entryFileNames: '_app/immutable/assets/[name]-[hash].js' } }
			}
		})
	};
}

export default defineConfig({
	// The message files (messages/) are compiled into src/lib/paraglide by scripts/i18n-compile.js, which every
	// npm script that needs them runs first (dev, build, check, the tests, the command line): once, so no
	// compile rewrites them while the type check, the tests or the build read them.
	plugins: [sveltekit(), chartScriptWithAssets()],
	test: {
		// Vitest's default is one worker fewer than the cores: one on a 2-core machine. Test files (integration ones
		// each on a database of their own, see tests/integration/setup-file.ts) run two at a time.
		maxWorkers: 2,
		projects: [
			{
				extends: true,
				test: { name: 'unit', include: ['tests/unit/**/*.test.ts'], environment: 'node' }
			},
			{
				extends: true,
				test: {
					name: 'integration',
					include: ['tests/integration/**/*.test.ts'],
					environment: 'node',
					globalSetup: ['tests/integration/global-setup.ts'],
					setupFiles: ['tests/integration/setup-file.ts'],
					testTimeout: 60_000,
					hookTimeout: 120_000
				}
			}
		]
	}
});
