/**
 * `npm run deploy` as a user runs it, on a copy of the project (so its build does not rewrite the
 * bundles other tests are loading) with no credentials in the environment.
 */
import { spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const repo = join(__dirname, '..', '..');
let project: string;

beforeAll(() => {
  project = mkdtempSync(join(tmpdir(), 'growth-deploy-cli-'));
  for (const path of [
    'scripts',
    'cloudfunctions',
    'emulator',
    // the functions bundle the few runtime values they share with the phone (scene, routes)
    'miniprogram',
    'cloudbaserc.json',
    'package.json',
  ]) {
    cpSync(join(repo, path), join(project, path), { recursive: true });
  }
  symlinkSync(join(repo, 'node_modules'), join(project, 'node_modules'), 'dir');
});

afterAll(() => rmSync(project, { recursive: true, force: true }));

function deploy(...args: string[]) {
  const env = Object.fromEntries(
    Object.entries(process.env).filter(([name]) => !/^(TCB|WX)_/.test(name)),
  );
  const res = spawnSync(process.execPath, ['scripts/deploy.mjs', ...args], {
    cwd: project,
    env,
    encoding: 'utf8',
    timeout: 120_000,
  });
  return { code: res.status, out: `${res.stdout}${res.stderr}` };
}

describe('npm run deploy (the command)', () => {
  it('--dry-run without credentials prints every step from the declarations and exits 0', () => {
    const { code, out } = deploy('--dry-run');
    expect(out).not.toContain('✗');
    expect(code).toBe(0);
    for (const step of [
      '▸ credentials',
      '▸ build',
      `▸ database: ${declaredCollections()} collections`,
      '▸ functions: api, admin, cron',
      '▸ storage',
      '▸ first campaign',
      '▸ Mini Program',
    ]) {
      expect(out).toContain(step);
    }
    expect(out).toContain('· collection invite_rejections');
    expect(out).toContain('· index users.inviteCode_unique (inviteCode ↑, unique)');
    expect(out).toContain('· cron trigger hourly (timer 0 0 * * * * *)');
    expect(out).toContain('· demo/hero.svg');
    expect(out).toContain('nothing was changed');
  });

  it('without credentials stops at the first step with the variables to set, exit 1', () => {
    const { code, out } = deploy();
    expect(code).toBe(1);
    expect(out).toContain('✗ credentials: missing:');
    expect(out).toContain('TCB_SECRET_KEY');
    expect(out).toContain('→ export them (see README → Deploy), or run with --dry-run');
    expect(out).not.toContain('▸ build');
  });

  it('--only miniprogram needs only the Mini Program variables', () => {
    const { code, out } = deploy('--only', 'miniprogram');
    expect(code).toBe(1);
    expect(out).toContain('WX_APPID');
    expect(out).not.toContain('TCB_ENV_ID');
  });
});

/** How many collections the project declares (deploy's plan names the count). */
function declaredCollections(): number {
  const rc = JSON.parse(readFileSync(join(repo, 'cloudbaserc.json'), 'utf8'));
  return rc.growthKit.database.collections.length;
}
