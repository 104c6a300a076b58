/** The database declaration in cloudbaserc.json: the emulator enforces what production gets. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { IndexSpec } from './store';

export interface DatabaseDeclaration {
  collections: string[];
  indexes: IndexSpec[];
}

interface CloudbaseRc {
  database: {
    collections: Array<{
      name: string;
      indexes: Array<{ name: string; keys: Record<string, 1 | -1>; unique?: boolean }>;
    }>;
  };
}

export function readDatabaseDeclaration(projectRoot: string): DatabaseDeclaration {
  const rc = JSON.parse(readFileSync(join(projectRoot, 'cloudbaserc.json'), 'utf8')) as CloudbaseRc;
  return {
    collections: rc.database.collections.map((c) => c.name),
    indexes: rc.database.collections.flatMap((c) =>
      c.indexes.map((index) => ({ collection: c.name, ...index })),
    ),
  };
}
