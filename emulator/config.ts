/**
 * The project's own declarations in cloudbaserc.json (`growthKit`): the database (collections,
 * indexes, security rule) and the functions' invoke rule. `npm run deploy` creates exactly this in
 * an environment and the emulator enforces exactly this locally: both read it here.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { IndexSpec } from './store';

export interface DeclaredIndex {
  name: string;
  keys: Record<string, 1 | -1>;
  unique?: boolean;
}

export interface DeclaredCollection {
  name: string;
  indexes: DeclaredIndex[];
}

/** A CloudBase custom security rule: an operation → `true`, `false` or an expression. */
export type SecurityRule = Record<string, boolean | string>;

export interface GrowthKitDeclaration {
  /** 云函数安全规则: function name (or `*`) → `{ invoke }` */
  functionRule: Record<string, SecurityRule>;
  database: {
    /** the one rule every collection gets */
    securityRule: SecurityRule;
    collections: DeclaredCollection[];
  };
}

export interface DatabaseDeclaration {
  collections: string[];
  indexes: IndexSpec[];
}

/** Keys starting with `//` are comments in the JSON file. */
function withoutComments<T>(value: T): T {
  if (Array.isArray(value)) return value.map(withoutComments) as T;
  if (typeof value !== 'object' || value === null) return value;
  return Object.fromEntries(
    Object.entries(value)
      .filter(([key]) => !key.startsWith('//'))
      .map(([key, item]) => [key, withoutComments(item)]),
  ) as T;
}

export function readGrowthKitDeclaration(projectRoot: string): GrowthKitDeclaration {
  const file = join(projectRoot, 'cloudbaserc.json');
  const rc = JSON.parse(readFileSync(file, 'utf8')) as { growthKit?: GrowthKitDeclaration };
  if (!rc.growthKit?.database?.collections) {
    throw new Error(`${file} has no growthKit.database.collections`);
  }
  return withoutComments(rc.growthKit);
}

/** What the emulator's store enforces: the declared collections and their indexes. */
export function readDatabaseDeclaration(projectRoot: string): DatabaseDeclaration {
  const { collections } = readGrowthKitDeclaration(projectRoot).database;
  return {
    collections: collections.map((c) => c.name),
    indexes: collections.flatMap((c) =>
      c.indexes.map((index) => ({ collection: c.name, ...index })),
    ),
  };
}
