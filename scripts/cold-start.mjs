// `npm run bench:cold-start` (also part of `npm run bench`): what loading each function bundle
// costs a cold container, against a bare function that only requires wx-server-sdk and calls
// `cloud.init` (the official template; our bundles do the same). Each sample is a fresh Node
// process that requires wx-server-sdk (the real package from node_modules, as CloudBase installs
// it), then the bundle, timing each (wall and CPU). Targets are interleaved so a busy machine
// slows them alike. The SDK dominates and varies most, so the ratio is taken from medians:
// (sdk + bundle) / (sdk + bare), with the SDK's median pooled over every sample.
// Figures, not assertions: CPU time is the steadier one on a shared machine.
import { execFileSync } from 'node:child_process';
import { mkdirSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { bundleFunctions, functionNames, root } from './bundle.mjs';

// Inside the repository so that `require('wx-server-sdk')` resolves as the bundles' does.
const BARE = join(root, 'dist', 'cold-start', 'bare', 'index.js');
const BARE_SOURCE = `const cloud = require('wx-server-sdk');
cloud.init({ env: cloud.DYNAMIC_CURRENT_ENV });
exports.main = async () => ({ ok: true });
`;

// Runs in the child; Node's own start-up is the same for every target and left out.
const PROBE = `const { dirname } = require('node:path');
const file = process.argv[1];
const time = (load) => {
  const cpu = process.cpuUsage();
  const start = process.hrtime.bigint();
  load();
  const wall = Number(process.hrtime.bigint() - start) / 1e6;
  const { user, system } = process.cpuUsage(cpu);
  return { wall, cpu: (user + system) / 1e3 };
};
const sdk = time(() => require(require.resolve('wx-server-sdk', { paths: [dirname(file)] })));
const own = time(() => require(file));
process.stdout.write(JSON.stringify({ sdk, own }));
process.exit(0);`;

/** @returns {{ sdk: Time, own: Time }} */
function sample(file) {
  return JSON.parse(execFileSync(process.execPath, ['-e', PROBE, file], { encoding: 'utf8' }));
}

/** @typedef {{ wall: number, cpu: number }} Time milliseconds */

const median = (values) => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
};
/** @returns {Time} */
const medianTime = (times) => ({
  wall: median(times.map((t) => t.wall)),
  cpu: median(times.map((t) => t.cpu)),
});

const functionBundles = () =>
  functionNames().map((name) => ({ name, file: join(root, 'cloudfunctions', name, 'index.js') }));

/**
 * Times bundles as they are on disk: by default the functions' (run `bundleFunctions()` first).
 * A bundle elsewhere must sit inside this repository, so its `require('wx-server-sdk')` resolves.
 * @param {{ runs?: number, bundles?: Array<{ name: string, file: string }> }} [options]
 * @returns {{ runs: number, sdk: Time, bare: Time, functions: Array<{ name: string, bytes: number, own: Time, ratio: Time }> }}
 */
export function measureColdStart({ runs = 31, bundles = functionBundles() } = {}) {
  mkdirSync(join(BARE, '..'), { recursive: true });
  writeFileSync(BARE, BARE_SOURCE);
  const targets = [{ name: 'bare', file: BARE }, ...bundles];
  const own = new Map(targets.map((t) => [t.name, []]));
  const sdk = [];
  // One discarded round warms the file cache.
  for (const t of targets) sample(t.file);
  for (let i = 0; i < runs; i++) {
    for (const t of targets) {
      const s = sample(t.file);
      sdk.push(s.sdk);
      own.get(t.name).push(s.own);
    }
  }
  const sdkTime = medianTime(sdk);
  const bare = medianTime(own.get('bare'));
  const ratio = (time, key) => (sdkTime[key] + time[key]) / (sdkTime[key] + bare[key]);
  return {
    runs,
    sdk: sdkTime,
    bare,
    functions: bundles.map(({ name, file }) => {
      const time = medianTime(own.get(name));
      return {
        name,
        bytes: statSync(file).size,
        own: time,
        ratio: { wall: ratio(time, 'wall'), cpu: ratio(time, 'cpu') },
      };
    }),
  };
}

/** Prints the figures of `measureColdStart`. */
export function printColdStart({ runs, sdk, bare, functions }) {
  const ms = ({ wall, cpu }, sign = '') =>
    `${sign}${wall.toFixed(1)} / ${sign}${cpu.toFixed(1)} ms`.padStart(22);
  console.log(`Cold start: require() in ${runs} fresh processes, medians (wall / CPU)`);
  console.log(`  ${'wx-server-sdk'.padEnd(26)}${ms(sdk)}`);
  console.log(`  ${'bare function'.padEnd(26)}${ms(bare, '+')}`);
  for (const f of functions) {
    const what = `${f.name} (${(f.bytes / 1024).toFixed(1)} KB)`;
    const ratio = `${f.ratio.wall.toFixed(3)}× / ${f.ratio.cpu.toFixed(3)}× bare`;
    console.log(`  ${what.padEnd(26)}${ms(f.own, '+')}   ${ratio}`);
  }
}

if (import.meta.url === pathToFileURL(process.argv[1]).href) {
  const runs = Number(process.argv.find((a) => a.startsWith('--runs='))?.slice(7) ?? 31);
  if (!process.argv.includes('--no-build')) await bundleFunctions();
  printColdStart(measureColdStart({ runs }));
}
