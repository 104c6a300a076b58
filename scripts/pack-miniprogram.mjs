// `npm run pack:miniprogram`: bundles scripts/deploy/pack.ts, then packs the Mini Program offline
// with miniprogram-ci and prints the packed size of each package (see the file's header).
import { join } from 'node:path';
import { bundleNodeScript, root } from './bundle.mjs';

await bundleNodeScript('scripts/deploy/pack.ts', 'dist/pack-miniprogram.js');
const { pack } = (await import(join(root, 'dist', 'pack-miniprogram.js'))).default;
// exit explicitly: miniprogram-ci keeps its compiler process (and so this one) alive
process.exit(await pack(root));
