// `npm run bench`: bundles the functions, times their cold start (scripts/cold-start.mjs), then
// bundles scripts/bench.ts and runs the benchmark against the emulator.
import { join } from 'node:path';
import { bundleFunctions, bundleNodeScript, root } from './bundle.mjs';
import { measureColdStart, printColdStart } from './cold-start.mjs';

await bundleFunctions();
// first, while nothing else of the benchmark runs
printColdStart(measureColdStart());
console.log();
await bundleNodeScript('scripts/bench.ts', 'dist/bench.js');
await import(join(root, 'dist', 'bench.js'));
