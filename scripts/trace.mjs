// `node scripts/trace.mjs <function> [file]`: reads a stack trace copied from a function's log
// (the file, or stdin) and prints it with each position in the function's bundle turned back
// into the TypeScript source, using the source map the build wrote beside the bundle
// (cloudfunctions/<function>/index.js.map). The map must come from the build that was deployed.
import { readFileSync } from 'node:fs';
import { SourceMap } from 'node:module';
import { dirname, join, relative, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { root } from './bundle.mjs';

/** Rewrites every `index.js:line:column` of `trace` by the bundle's source map. */
export function mapTrace(trace, mapFile) {
  const map = new SourceMap(JSON.parse(readFileSync(mapFile, 'utf8')));
  return trace.replace(/[^\s(]*index\.js:(\d+):(\d+)/g, (position, line, column) => {
    const entry = map.findEntry(Number(line) - 1, Number(column) - 1);
    if (!entry?.originalSource) return position;
    const source = relative(root, resolve(dirname(mapFile), entry.originalSource));
    return `${source}:${entry.originalLine + 1}:${entry.originalColumn + 1}`;
  });
}

if (import.meta.url === pathToFileURL(process.argv[1]).href) {
  const [name, file] = process.argv.slice(2);
  if (!name) {
    console.error('usage: node scripts/trace.mjs <function> [trace file]   (else reads stdin)');
    process.exit(2);
  }
  const trace = readFileSync(file ?? 0, 'utf8');
  process.stdout.write(mapTrace(trace, join(root, 'cloudfunctions', name, 'index.js.map')));
}
