// `npm run deploy`: bundles scripts/deploy/ (TypeScript, like the other scripts), then runs it
// with this process's arguments and environment. See scripts/deploy/main.ts and README → Deploy.
import { join } from 'node:path';
import { bundleFunctions, bundleNodeScript, root } from './bundle.mjs';

await bundleNodeScript('scripts/deploy/main.ts', 'dist/deploy.js');
const { run } = (await import(join(root, 'dist', 'deploy.js'))).default;
// exit explicitly: after an upload miniprogram-ci keeps its compiler process (and so this one) alive
process.exit(await run(root, bundleFunctions));
