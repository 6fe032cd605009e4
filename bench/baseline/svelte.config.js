// The baseline for `npm run bench`: a bare server-rendered SvelteKit page with no JavaScript, built with the
// portal's own @sveltejs/kit, svelte and adapter-node (resolved from the project's node_modules).
import adapter from '@sveltejs/adapter-node';

/** @type {import('@sveltejs/kit').Config} */
export default {
	kit: { adapter: adapter({ precompress: false, out: 'build' }) }
};
