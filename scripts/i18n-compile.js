// Compiles the message files (messages/{locale}/*.json) into typed functions in src/lib/paraglide, as the
// Vite plugin does while building: svelte-check and the command line need them without Vite.
import { compile } from '@inlang/paraglide-js';
import { paraglideOptions } from '../i18n.config.js';

await compile({ ...paraglideOptions, outdir: paraglideOptions.outdir });
