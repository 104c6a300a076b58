// `npm run simulate -- <config.json> [assumptions.json]` (or `-- --demo`): the campaign
// simulator (cloudfunctions/_shared/domain/simulate.ts) from the command line. Bundles
// scripts/simulate-cli.ts and runs it with this process's arguments.
import { join } from 'node:path';
import { bundleNodeScript, root } from './bundle.mjs';

await bundleNodeScript('scripts/simulate-cli.ts', 'dist/simulate-cli.js');
const { main } = await import(join(root, 'dist', 'simulate-cli.js'));
process.exitCode = await main(process.argv.slice(2), (line) => console.log(line));
