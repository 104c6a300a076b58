// `npm run deploy`: bundles scripts/deploy/ (TypeScript, like the other scripts), then runs it
// with this process's arguments and environment. See scripts/deploy/main.ts and README → Deploy.
import { join } from 'node:path';
import { bundleFunctions, bundleNodeScript, root } from './bundle.mjs';

await bundleNodeScript('scripts/deploy/main.ts', 'dist/deploy.js');
const { run } = (await import(join(root, 'dist', 'deploy.js'))).default;
process.exitCode = await run(root, bundleFunctions);
