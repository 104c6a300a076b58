/**
 * The routes module is the one place a page is spelled: it names exactly the pages app.json
 * declares (main package and subpackages), and no other source of the Mini Program, the
 * functions or the scripts spells a route of its own.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { PAGES, ROUTES, withQuery } from '../../../miniprogram/utils/routes';

const ROOT = join(__dirname, '../../..');

interface AppJson {
  pages: string[];
  subpackages?: Array<{ root: string; pages: string[] }>;
}
const app = JSON.parse(readFileSync(join(ROOT, 'miniprogram/app.json'), 'utf8')) as AppJson;

it('names every page of app.json, and nothing else', () => {
  const declared = [
    ...app.pages,
    ...(app.subpackages ?? []).flatMap((sub) =>
      sub.pages.map((page) => `${sub.root.replace(/\/+$/, '')}/${page}`),
    ),
  ];
  expect([...Object.values(PAGES)].sort()).toEqual([...declared].sort());
  expect(new Set(Object.values(PAGES)).size).toBe(declared.length);
});

it('opens every Mini Program code on the landing page, app.json’s first page', () => {
  expect(app.pages[0]).toBe(PAGES.landing);
});

it('spells each page for navigation with a leading slash, and a query after it', () => {
  for (const [name, page] of Object.entries(PAGES)) {
    expect(ROUTES[name as keyof typeof ROUTES]).toBe(`/${page}`);
  }
  expect(withQuery(ROUTES.member, { ref: 'K7 PX' })).toBe('/admin/pages/member/index?ref=K7%20PX');
  expect(withQuery(PAGES.coupon, {})).toBe('pages/coupon/index');
});

/** A route in quotes: `'/pages/x/index'`, `"admin/pages/x/index"`, a template literal's start. */
const SPELLED_ROUTE = /['"`]\/?(?:[a-z]+\/)?pages\/[A-Za-z0-9_-]+\/index/;

function* sources(dir: string): Generator<string> {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    if (entry.name.startsWith('.') || entry.name === 'node_modules') continue;
    const path = join(dir, entry.name);
    if (entry.isDirectory()) yield* sources(path);
    // the functions' bundles (index.js) are built from these sources
    else if (/\.(ts|wxml|mjs)$/.test(entry.name) && !entry.name.endsWith('.d.ts')) yield path;
  }
}

it('is the only place a route is spelled', () => {
  const module = join(ROOT, 'miniprogram/utils/routes.ts');
  const copies = ['miniprogram', 'cloudfunctions', 'scripts']
    .flatMap((dir) => [...sources(join(ROOT, dir))])
    .filter((file) => file !== module)
    .flatMap((file) =>
      readFileSync(file, 'utf8')
        .split('\n')
        .map((line, index) => ({ line, at: `${relative(ROOT, file)}:${index + 1}` }))
        .filter(({ line }) => SPELLED_ROUTE.test(line))
        .map(({ at, line }) => `${at}: ${line.trim()}`),
    );
  expect(copies).toEqual([]);
});
