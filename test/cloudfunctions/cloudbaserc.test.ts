/** cloudbaserc.json is what deploys: it must declare what the code uses. */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { COLLECTIONS } from '../../cloudfunctions/_shared/collections';

const root = join(__dirname, '..', '..');
const rc = JSON.parse(readFileSync(join(root, 'cloudbaserc.json'), 'utf8'));

describe('cloudbaserc.json', () => {
  it('declares every collection the functions use, and no other', () => {
    const declared = rc.database.collections.map((c: { name: string }) => c.name).sort();
    expect(declared).toEqual(Object.values(COLLECTIONS).sort());
  });

  it('declares each function folder with its own package.json pinning wx-server-sdk', () => {
    const rootPackage = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
    for (const fn of rc.functions as Array<{ name: string }>) {
      const pkg = JSON.parse(
        readFileSync(join(root, 'cloudfunctions', fn.name, 'package.json'), 'utf8'),
      );
      expect(pkg.dependencies['wx-server-sdk']).toBe(rootPackage.devDependencies['wx-server-sdk']);
      expect(existsSync(join(root, 'cloudfunctions', fn.name, 'index.ts'))).toBe(true);
    }
  });

  it('runs cron hourly on a timer trigger', () => {
    const cron = rc.functions.find((f: { name: string }) => f.name === 'cron');
    expect(cron.triggers).toEqual([{ name: 'hourly', type: 'timer', config: '0 0 * * * * *' }]);
  });

  it('denies clients direct access to the database', () => {
    expect(rc.database.securityRule).toEqual({ read: false, write: false });
  });
});
