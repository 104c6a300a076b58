/**
 * Retention (issue 15): the README's pictures are the product's own. Every picture it and the
 * feature pages in docs/ embed is in docs/screenshots/, and every picture there is a page an e2e walk photographed for it —
 * never a picture of the test harness (those go to test/e2e/output/, gitignored).
 */
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';

const ROOT = join(__dirname, '..', '..');
const SHOTS = join(ROOT, 'docs', 'screenshots');
const E2E = join(ROOT, 'test', 'e2e');

/** The names the e2e walks save into docs/screenshots (a `dir` option sends one elsewhere). */
function productShots(): Set<string> {
  const names = new Set<string>();
  for (const file of readdirSync(E2E).filter((f) => f.endsWith('.ts'))) {
    const source = readFileSync(join(E2E, file), 'utf8');
    // preview.screenshot('landing'), and helpers named for it (screenshotMessages('…'))
    for (const [, name, options] of source.matchAll(/screenshot\w*\(\s*'([^']+)'([^;]*?)\);/gis)) {
      if (!/\bdir\s*:/.test(options)) names.add(`${name}.png`);
    }
  }
  return names;
}

it('embeds only pictures that exist, and keeps only the pages the walks photograph', () => {
  const pages = [
    readFileSync(join(ROOT, 'README.md'), 'utf8'),
    ...readdirSync(join(ROOT, 'docs'))
      .filter((f) => f.endsWith('.md'))
      .map((f) => readFileSync(join(ROOT, 'docs', f), 'utf8')),
  ];
  const stored = readdirSync(SHOTS).filter((f) => f.endsWith('.png'));
  const embedded = pages.flatMap((page) =>
    [...page.matchAll(/\(((?:docs\/)?screenshots\/[\w-]+\.png)\)/g)].map((m) =>
      m[1].replace(/^(docs\/)?screenshots\//, ''),
    ),
  );
  expect(embedded.length).toBeGreaterThan(20);
  expect(embedded.filter((name) => !stored.includes(name))).toEqual([]);
  const photographed = productShots();
  expect(stored.filter((name) => !photographed.has(name))).toEqual([]);
  // the harness's own picture of a page error is a fixture, never the product's
  expect(photographed.has('page-error.png')).toBe(false);
  expect(stored).not.toContain('page-error.png');
});
