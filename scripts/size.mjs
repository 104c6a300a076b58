// `npm run size`: the Mini Program's package sizes as WeChat counts them at upload, against
// WeChat's limits (2 MB per package, 20 MB in all) and our own budget for the main package
// (500 KB: what every visitor downloads before the first page shows). Exits 1 when over.
//
// Counted: the files DevTools would upload from miniprogramRoot, each in the package whose root
// holds it (app.json `subpackages`), the rest in the main package. TypeScript is counted as the
// JavaScript it becomes: each .ts compiled on its own to CommonJS (as DevTools' TypeScript
// plugin does) and minified when project.config.json asks for it. Not counted: .ts sources,
// .d.ts, tsconfig.json, packOptions.ignore entries, node_modules, dotfiles, and file types
// WeChat does not upload. `--files` also lists every counted file.
import { transform } from 'esbuild';
import { Buffer } from 'node:buffer';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const KB = 1024;
const MB = 1024 * KB;
const PACKAGE_LIMIT = 2 * MB;
const TOTAL_LIMIT = 20 * MB;
const MAIN_BUDGET = 500 * KB;

/** File types the upload keeps (WeChat's whitelist, the ones a project like this can have). */
const UPLOADED = new Set(
  'js json wxml wxss wxs png jpg jpeg gif svg webp mp3 aac m4a wav ogg mp4 silk wasm br cer cert ttf woff woff2'.split(
    ' ',
  ),
);

const root = fileURLToPath(new URL('..', import.meta.url));
const project = JSON.parse(readFileSync(join(root, 'project.config.json'), 'utf8'));
const appRoot = resolve(root, project.miniprogramRoot ?? 'miniprogram');
const app = JSON.parse(readFileSync(join(appRoot, 'app.json'), 'utf8'));
const minify = project.setting?.minified !== false;
const listFiles = process.argv.includes('--files');

const subpackages = (app.subpackages ?? app.subPackages ?? []).map((sub) =>
  sub.root.replace(/\/+$/, ''),
);

/** packOptions.ignore: the kinds DevTools documents that a path test can answer. */
function ignoredByProject(path) {
  return (project.packOptions?.ignore ?? []).some(({ type, value }) => {
    const name = path.split('/').pop();
    switch (type) {
      case 'file':
        return path === value || name === value;
      case 'folder':
        return path === value || path.startsWith(`${value.replace(/\/+$/, '')}/`);
      case 'suffix':
        return path.endsWith(value);
      case 'prefix':
        return name.startsWith(value);
      case 'regexp':
        return new RegExp(value).test(path);
      default:
        return false;
    }
  });
}

function* walk(dir) {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    if (entry.name.startsWith('.') || entry.name === 'node_modules') continue;
    const path = join(dir, entry.name);
    if (entry.isDirectory()) yield* walk(path);
    else yield path;
  }
}

/** `require()`s that leave miniprogramRoot would fail on the phone (only type imports may). */
function checkRequires(js, file, problems) {
  for (const [, spec] of js.matchAll(/\brequire\(\s*["'`]([^"'`]+)["'`]\s*\)/g)) {
    if (!spec.startsWith('.')) continue;
    const target = resolve(dirname(file), spec);
    if (target !== appRoot && !target.startsWith(appRoot + sep)) {
      problems.push(
        `${relative(root, file)} requires ${spec}, outside ${relative(root, appRoot)}/`,
      );
    }
  }
}

async function uploadedBytes(file, problems) {
  if (file.endsWith('.ts')) {
    const { code } = await transform(readFileSync(file, 'utf8'), {
      loader: 'ts',
      format: 'cjs',
      // DevTools' es6→es5 step is not reproducible with esbuild; ES2015 is close enough for a budget
      target: 'es2015',
      minify,
      sourcefile: file,
      logLevel: 'silent',
    });
    checkRequires(code, file, problems);
    return Buffer.byteLength(code);
  }
  return readFileSync(file).byteLength;
}

const size = (bytes) =>
  bytes >= MB ? `${(bytes / MB).toFixed(2)} MB` : `${(bytes / KB).toFixed(1)} KB`;
const limitText = (bytes) => (bytes >= MB ? `${bytes / MB} MB` : `${bytes / KB} KB`);

/**
 * Every package's files and bytes as WeChat counts them, the table rows, and what is over a limit
 * (also used by `npm run bench`).
 * @returns {Promise<{ packages: Map<string, { files: Array<{ path: string, bytes: number }>, bytes: number }>, rows: string[][], problems: string[], total: number }>}
 */
export async function measurePackages() {
  const problems = [];
  const packages = new Map([['main', { files: [], bytes: 0 }]]);
  for (const sub of subpackages) packages.set(sub, { files: [], bytes: 0 });

  for (const file of walk(appRoot)) {
    const path = relative(appRoot, file).split(sep).join('/');
    if (path.endsWith('.d.ts') || path === 'tsconfig.json' || ignoredByProject(path)) continue;
    const isTs = path.endsWith('.ts');
    // a .js beside its .ts is a stale local build: the .ts is what ships
    if (path.endsWith('.js') && existsSync(file.replace(/\.js$/, '.ts'))) continue;
    if (!isTs && !UPLOADED.has(path.split('.').pop())) continue;

    const bytes = await uploadedBytes(file, problems);
    const owner = subpackages.find((sub) => path.startsWith(`${sub}/`)) ?? 'main';
    const entry = packages.get(owner);
    entry.files.push({ path: isTs ? `${path.slice(0, -3)}.js` : path, bytes });
    entry.bytes += bytes;
  }

  const rows = [];
  let total = 0;
  let fileCount = 0;
  for (const [name, { files, bytes }] of packages) {
    total += bytes;
    fileCount += files.length;
    const limit = name === 'main' ? Math.min(MAIN_BUDGET, PACKAGE_LIMIT) : PACKAGE_LIMIT;
    const over = bytes > limit;
    if (over)
      problems.push(`${name} package is ${size(bytes)}, over its ${limitText(limit)} limit`);
    rows.push([
      name === 'main' ? 'main' : `${name}/`,
      String(files.length),
      size(bytes),
      name === 'main' ? `${limitText(MAIN_BUDGET)} budget (WeChat: 2 MB)` : '2 MB',
      over ? 'OVER' : `${Math.round((bytes / limit) * 100)}%`,
    ]);
  }
  if (total > TOTAL_LIMIT) problems.push(`all packages together are ${size(total)}, over 20 MB`);
  rows.push([
    'total',
    String(fileCount),
    size(total),
    '20 MB',
    `${Math.round((total / TOTAL_LIMIT) * 100)}%`,
  ]);
  return { packages, rows, problems, total };
}

if (import.meta.url === pathToFileURL(process.argv[1]).href) {
  const { packages, rows, problems } = await measurePackages();
  const header = ['package', 'files', 'size', 'limit', 'used'];
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((row) => row[i].length)));
  const line = (cells) =>
    cells
      .map((cell, i) =>
        i === 1 || i === 2 || i === 4 ? cell.padStart(widths[i]) : cell.padEnd(widths[i]),
      )
      .join('  ');

  console.log(
    `Mini Program package size (${relative(root, appRoot)}/, TypeScript counted as ${minify ? 'minified ' : ''}JS)`,
  );
  console.log(line(header));
  for (const row of rows) console.log(line(row));

  if (listFiles) {
    for (const [name, { files }] of packages) {
      console.log(`\n${name}:`);
      for (const { path, bytes } of files.sort((a, b) => b.bytes - a.bytes)) {
        console.log(`  ${size(bytes).padStart(9)}  ${path}`);
      }
    }
  }

  if (problems.length > 0) {
    console.error(`\n${problems.map((p) => `✗ ${p}`).join('\n')}`);
    process.exit(1);
  }
}
