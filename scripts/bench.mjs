// `npm run bench`: what Growth Kit costs and how it grows (issue 14), written to
// bench/results.json and docs/PERFORMANCE.md from one run. In order: the functions' bundles and
// their cold start (scripts/cold-start.mjs, first, while nothing else runs), the Mini Program's
// packages (scripts/size.mjs), the e2e walk's setData payloads (the walk runs in Chromium unless
// `--no-e2e`; test/e2e/output/set-data.json), then scripts/bench/main.ts in a process of its own
// with room for a million members: round trips, a visitor's reads and writes, throughput, hot
// documents, scale, and a simulated campaign. Figures, never assertions.
//
//   npm run bench                     the whole bench (about a quarter of an hour)
//   npm run bench -- --quick          smaller sizes, to try it out (bench/ and docs/ untouched)
//   npm run bench -- --only=scale     some sections (round-trips, journey, throughput,
//                                     hot-document, scale, campaign), printed only
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { bundleFunctions, bundleNodeScript, root } from './bundle.mjs';
import { measureColdStart, printColdStart } from './cold-start.mjs';
import { measurePackages } from './size.mjs';

const args = process.argv.slice(2);
const partial = args.includes('--quick') || args.some((a) => a.startsWith('--only='));
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const SET_DATA = join(root, 'test', 'e2e', 'output', 'set-data.json');

await bundleFunctions();
let coldStart = null;
if (!partial) {
  // first, while nothing else of the benchmark runs
  coldStart = measureColdStart();
  printColdStart(coldStart);
}

const { packages: measured } = await measurePackages();
const packages = [...measured].map(([name, { files, bytes }]) => ({
  name: name === 'main' ? 'main' : `${name}/`,
  files: files.length,
  bytes,
  // the main package's budget is ours (what every visitor downloads first); WeChat's is 2 MB
  limit: name === 'main' ? 500 * 1024 : 2 * 1024 * 1024,
}));

let setData = null;
if (!partial && !args.includes('--no-e2e') && existsSync(CHROMIUM)) {
  console.log('\nThe e2e walk, for its setData payloads (Chromium)…');
  const walk = spawnSync(
    process.execPath,
    [
      join(root, 'node_modules', 'jest', 'bin', 'jest.js'),
      '-c',
      'jest.e2e.config.mjs',
      '--runInBand',
      'test/e2e/walk.test.ts',
    ],
    { cwd: root, stdio: 'inherit' },
  );
  if (walk.status !== 0) throw new Error('the e2e walk failed: no setData figures');
  // the walk's screenshots are the product's pictures: a bench leaves them as committed
  execFileSync('git', ['checkout', '--', 'docs/screenshots'], { cwd: root });
}
if (existsSync(SET_DATA)) {
  setData = {
    source: 'test/e2e/walk.test.ts',
    sizes: JSON.parse(readFileSync(SET_DATA, 'utf8')),
  };
}

mkdirSync(join(root, 'dist'), { recursive: true });
const input = join(root, 'dist', 'bench-input.json');
writeFileSync(input, JSON.stringify({ coldStart, packages, setData }));
await bundleNodeScript('scripts/bench/main.ts', 'dist/bench.js');
const bench = spawnSync(
  process.execPath,
  [
    // a million members, their coupons and their indexes
    '--max-old-space-size=14000',
    '--expose-gc',
    join(root, 'dist', 'bench.js'),
    `--input=${input}`,
    ...args.filter((a) => a !== '--no-e2e'),
  ],
  { cwd: root, stdio: 'inherit' },
);
if (bench.status !== 0) process.exit(bench.status ?? 1);
if (!partial) {
  // the written files follow the project's formatting (npm run lint checks them)
  execFileSync(
    process.execPath,
    [
      join(root, 'node_modules', 'prettier', 'bin', 'prettier.cjs'),
      '--write',
      'bench/results.json',
      'docs/PERFORMANCE.md',
    ],
    { cwd: root, stdio: 'inherit' },
  );
}
