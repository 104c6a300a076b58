// `npm run bench`: bundles the functions and scripts/bench.ts, then runs the benchmark.
import { join } from 'node:path';
import { bundleFunctions, bundleNodeScript, root } from './bundle.mjs';

await bundleFunctions();
await bundleNodeScript('scripts/bench.ts', 'dist/bench.js');
await import(join(root, 'dist', 'bench.js'));
