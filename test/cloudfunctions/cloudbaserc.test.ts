/** cloudbaserc.json is what deploys: it must declare what the code uses. */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { COLLECTIONS } from '../../cloudfunctions/_shared/collections';
import { readDatabaseDeclaration } from '../../emulator/config';
import { readDeclaration } from '../../scripts/deploy/declaration';

const root = join(__dirname, '..', '..');
// deploy's reader: it also checks each function's config.json against cloudbaserc.json
const declaration = readDeclaration(root);

describe('cloudbaserc.json', () => {
  it('declares every collection the functions use, and no other', () => {
    const declared = declaration.database.collections.map((c) => c.name).sort();
    expect(declared).toEqual(Object.values(COLLECTIONS).sort());
  });

  it('gives the emulator exactly the collections and indexes deploy creates', () => {
    const emulated = readDatabaseDeclaration(root);
    expect(emulated.collections).toEqual(declaration.database.collections.map((c) => c.name));
    expect(emulated.indexes).toEqual(
      declaration.database.collections.flatMap((c) =>
        c.indexes.map((index) => ({ collection: c.name, ...index })),
      ),
    );
    expect(emulated.indexes.filter((index) => index.unique).map((index) => index.name)).toEqual([
      'inviteCode_unique',
    ]);
  });

  it('declares each function folder with its own package.json pinning wx-server-sdk', () => {
    const rootPackage = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
    for (const fn of declaration.functions) {
      const pkg = JSON.parse(
        readFileSync(join(root, 'cloudfunctions', fn.name, 'package.json'), 'utf8'),
      );
      expect(pkg.dependencies['wx-server-sdk']).toBe(rootPackage.devDependencies['wx-server-sdk']);
      expect(existsSync(join(root, 'cloudfunctions', fn.name, 'index.ts'))).toBe(true);
    }
  });

  it('runs every function on Node.js 18.15 (16.13 is end-of-life)', () => {
    expect(declaration.functions.map((fn) => [fn.name, fn.runtime])).toEqual([
      ['api', 'Nodejs18.15'],
      ['admin', 'Nodejs18.15'],
      ['cron', 'Nodejs18.15'],
    ]);
  });

  it('runs cron hourly on a timer trigger', () => {
    const cron = declaration.functions.find((f) => f.name === 'cron');
    expect(cron?.triggers).toEqual([{ name: 'hourly', type: 'timer', config: '0 0 * * * * *' }]);
  });

  it('denies clients direct access to the database, and the cron function to clients', () => {
    expect(declaration.database.securityRule).toEqual({ read: false, write: false });
    expect(declaration.functionRule).toEqual({
      '*': { invoke: 'auth != null' },
      cron: { invoke: false },
    });
  });
});
