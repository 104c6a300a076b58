/**
 * `npm run deploy` against a stand-in of the management API (manager-node's service objects, see
 * support/fake-cloudbase.ts) and, for the documents it writes, the local emulator: the first
 * campaign and owner are then checked by calling the real function bundles.
 */
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Emulator } from '../../emulator/emulator';
import type { DocumentDatabase } from '../../scripts/deploy/cloudbase';
import { readDeclaration } from '../../scripts/deploy/declaration';
import { BUNDLE_HASH_VARIABLE } from '../../scripts/deploy/functions';
import { deploy, type DeployDeps } from '../../scripts/deploy/main';
import type { ProjectKey, Release } from '../../scripts/deploy/miniprogram';
import { cloudBaseError, FakeCloudBase } from './support/fake-cloudbase';

const repo = join(__dirname, '..', '..');
const declared = readDeclaration(repo);
const OWNER = 'o-owner-openid-0001';
const CRON_CONFIG = {
  permissions: { openapi: [] },
  triggers: [{ name: 'hourly', type: 'timer', config: '0 0 * * * * *' }],
};

let project: string;
let env: Record<string, string>;

/** A project root with what deploy reads: the declarations and the built functions. */
beforeAll(() => {
  project = mkdtempSync(join(tmpdir(), 'growth-deploy-'));
  for (const file of ['cloudbaserc.json', 'package.json', 'project.config.json']) {
    copyFileSync(join(repo, file), join(project, file));
  }
  for (const fn of declared.functions) {
    const dir = join(project, 'cloudfunctions', fn.name);
    mkdirSync(dir, { recursive: true });
    for (const file of ['index.js', 'package.json']) {
      copyFileSync(join(repo, 'cloudfunctions', fn.name, file), join(dir, file));
    }
    // WeChat's per-function config, as DevTools reads it (placeholders: other work adds the real ones)
    const config = fn.name === 'cron' ? CRON_CONFIG : { permissions: { openapi: [] } };
    writeFileSync(join(dir, 'config.json'), JSON.stringify(config));
  }
  const key = join(project, 'private.key');
  writeFileSync(key, 'not a real key: the publisher is a stand-in');
  env = {
    TCB_ENV_ID: 'growth-test-1a2b3c',
    TCB_SECRET_ID: 'AKIDtest',
    TCB_SECRET_KEY: 'secret',
    WX_APPID: 'wx1234567890abcdef',
    WX_PRIVATE_KEY_PATH: key,
  };
});

afterAll(() => rmSync(project, { recursive: true, force: true }));

interface Harness {
  cloud: FakeCloudBase;
  data: Emulator;
  published: Array<{ key: ProjectKey; release: Release }>;
  builds: number;
  run(argv?: string[], overrides?: Partial<DeployDeps>): Promise<{ code: number; out: string }>;
}

async function harness(): Promise<Harness> {
  const cloud = new FakeCloudBase();
  const data = await Emulator.start({ dataDir: null, seed: false });
  const h: Harness = {
    cloud,
    data,
    published: [],
    builds: 0,
    async run(argv = [], overrides = {}) {
      const lines: string[] = [];
      const code = await deploy(argv, {
        projectRoot: project,
        staging: join(project, 'dist', 'deploy'),
        env,
        out: { log: (line) => lines.push(line) },
        build: async () => {
          h.builds += 1;
          return declared.functions.map((fn) => ({
            file: `cloudfunctions/${fn.name}/index.js`,
            bytes: 1,
          }));
        },
        connect: (credentials) => {
          cloud.requestedEnv = credentials.envId;
          return {
            manager: cloud,
            database: () => data.sdk.database() as unknown as DocumentDatabase,
          };
        },
        publisher: {
          upload: async (_root, key, release) => void h.published.push({ key, release }),
          preview: async (_root, key, release) => void h.published.push({ key, release }),
        },
        ...overrides,
      });
      return { code, out: lines.join('\n') };
    },
  };
  return h;
}

const allIndexes = declared.database.collections.flatMap((c) =>
  c.indexes.map((index) => `${c.name}.${index.name}`),
);
const collectionNames = declared.database.collections.map((c) => c.name);

/** Every index deploy asked UpdateTable to create, as `collection.index`. */
function requestedIndexes(cloud: FakeCloudBase): string[] {
  return cloud
    .callsOf('database.updateCollection')
    .flatMap(([name, info]) =>
      ((info as { CreateIndexes: Array<{ IndexName: string }> }).CreateIndexes ?? []).map(
        (index) => `${name}.${index.IndexName}`,
      ),
    );
}

async function count(data: Emulator, collection: string): Promise<number> {
  return (await data.sdk.database().collection(collection).count()).total;
}

describe('npm run deploy', () => {
  it('creates every declared collection, index, rule and function once, then the first campaign and owner', async () => {
    const h = await harness();
    const { code, out } = await h.run(['--owner', OWNER]);
    expect(out).not.toContain('✗');
    expect(code).toBe(0);

    // database: each collection and each index requested exactly once
    expect(h.cloud.callsOf('database.createCollection').map(([name]) => name)).toEqual(
      collectionNames,
    );
    expect(requestedIndexes(h.cloud).sort()).toEqual([...allIndexes].sort());
    const users = h.cloud
      .callsOf('database.updateCollection')
      .find(([name]) => name === 'users')?.[1] as { CreateIndexes: unknown[] };
    expect(users.CreateIndexes).toContainEqual({
      IndexName: 'inviteCode_unique',
      MgoKeySchema: { MgoIndexKeys: [{ Name: 'inviteCode', Direction: '1' }], MgoIsUnique: true },
    });
    // every collection denies clients
    const rules = h.cloud.callsOf('permission.modifyResourcePermission').map(([o]) => o as any);
    expect(rules.filter((r) => r.resourceType === 'collection').map((r) => r.resource)).toEqual(
      collectionNames,
    );
    for (const rule of rules.filter((r) => r.resourceType === 'collection')) {
      expect(rule).toMatchObject({ permission: 'CUSTOM' });
      expect(JSON.parse(rule.securityRule)).toEqual({ read: false, write: false });
    }
    // cron cannot be called by clients
    const functionRule = rules.find((r) => r.resourceType === 'function');
    expect(JSON.parse(functionRule.securityRule)).toEqual({
      '*': { invoke: 'auth != null' },
      cron: { invoke: false },
    });

    // functions: created once each, Node 18, exactly the three files, cron's timer
    const created = h.cloud.callsOf('functions.createFunction').map(([p]) => (p as any).func);
    expect(created.map((f) => [f.name, f.runtime, f.timeout])).toEqual([
      ['api', 'Nodejs18.15', 10],
      ['admin', 'Nodejs18.15', 20],
      ['cron', 'Nodejs18.15', 60],
    ]);
    for (const name of ['api', 'admin', 'cron']) {
      const fn = h.cloud.functionsState.get(name)!;
      expect(Object.keys(fn.files).sort()).toEqual(['config.json', 'index.js', 'package.json']);
      // Buffer.equals: jest's deep equality walks 800 KB byte by byte
      expect(
        fn.files['index.js'].equals(readFileSync(join(repo, 'cloudfunctions', name, 'index.js'))),
      ).toBe(true);
    }
    expect(h.cloud.functionsState.get('cron')!.triggers).toEqual(CRON_CONFIG.triggers);
    expect(h.cloud.functionsState.get('api')!.triggers).toEqual([]);

    // storage: the demo's images, as the seed generates them
    expect([...h.cloud.files.keys()].sort()).toEqual([
      'demo/contact-qr.svg',
      'demo/hero.svg',
      'demo/summer-recipes.pdf',
    ]);
    expect(h.cloud.files.get('demo/hero.svg')!.toString()).toContain('<svg');

    // the first campaign and owner, read back through the real functions
    const campaign = await h.data.invoke<any>('api', { action: 'campaign.get' }, { openid: 'v-1' });
    expect(campaign.result.ok).toBe(true);
    expect(campaign.result.data.title).toBe('山野茶事 · 新店开业 会员招募季');
    const [doc] = (
      await h.data.sdk.database().collection('campaigns').where({ active: true }).get()
    ).data as any[];
    expect(doc.config.magnet.image).toBe(h.cloud.fileId('demo/hero.svg'));
    expect(doc.config.groups.fallbackContact.qrUrl).toBe(h.cloud.fileId('demo/contact-qr.svg'));
    expect(await count(h.data, 'counters')).toBeGreaterThan(0);
    const whoami = await h.data.invoke<any>('admin', { action: 'admin.whoami' }, { openid: OWNER });
    expect(whoami.result).toMatchObject({ ok: true, data: { role: 'owner' } });

    // the Mini Program, uploaded once with the AppID and the package version
    expect(h.published).toEqual([
      {
        key: { appid: env.WX_APPID, privateKeyPath: env.WX_PRIVATE_KEY_PATH },
        release: expect.objectContaining({ version: '0.1.0', robot: 1 }),
      },
    ]);
    await h.data.close();
  });

  it('asks again on a second run and changes nothing', async () => {
    const h = await harness();
    expect((await h.run(['--owner', OWNER])).code).toBe(0);
    const before = h.cloud.mutations().length;
    const documents = await count(h.data, 'counters');

    const second = await h.run(['--owner', OWNER]);
    expect(second.code).toBe(0);
    expect(h.cloud.mutations().slice(before)).toEqual([]);
    expect(await count(h.data, 'campaigns')).toBe(1);
    expect(await count(h.data, 'counters')).toBe(documents);
    expect(await count(h.data, 'admins')).toBe(1);
    // only the Mini Program uploads again: every run is a new development version
    expect(second.out).toMatch(/Done: 1 change\(s\) made/);
    await h.data.close();
  });

  it('stops at a refused step, names it, and a rerun completes the rest without repeating anything', async () => {
    const h = await harness();
    h.cloud.failOnce(
      'database.updateCollection',
      ([name]) => name === 'groups',
      cloudBaseError('LimitExceeded', 'index quota exceeded'),
    );
    const first = await h.run();
    expect(first.code).toBe(1);
    expect(first.out).toContain('✗ database');
    expect(first.out).toContain('groups');
    expect(first.out).toContain('index quota exceeded [LimitExceeded, request req-fake]');
    expect(first.out).toContain('A rerun continues where this one stopped.');
    // nothing after the refused step ran
    expect(h.cloud.callsOf('functions.createFunction')).toEqual([]);
    expect(h.published).toEqual([]);

    const rerun = await h.run();
    expect(rerun.code).toBe(0);
    expect(h.cloud.callsOf('database.createCollection').map(([n]) => n)).toEqual(collectionNames);
    // the refused request was asked twice, every other index once
    const requested = requestedIndexes(h.cloud);
    expect(new Set(requested)).toEqual(new Set(allIndexes));
    const groupsIndexes = allIndexes.filter((i) => i.startsWith('groups.')).length;
    expect(requested.length).toBe(allIndexes.length + groupsIndexes);
    expect(requested.filter((i) => i.startsWith('users.')).length).toBe(
      allIndexes.filter((i) => i.startsWith('users.')).length,
    );
    expect(h.cloud.callsOf('functions.createFunction')).toHaveLength(3);
    expect(await count(h.data, 'campaigns')).toBe(1);
    await h.data.close();
  });

  it('--dry-run reads the environment and prints the plan, changing nothing', async () => {
    const h = await harness();
    const { code, out } = await h.run(['--dry-run', '--owner', OWNER]);
    expect(code).toBe(0);
    expect(h.cloud.mutations()).toEqual([]);
    expect(h.published).toEqual([]);
    expect(await count(h.data, 'campaigns')).toBe(0);
    expect(await count(h.data, 'admins')).toBe(0);
    for (const title of [
      'database',
      'functions',
      'storage',
      'first campaign',
      'first owner',
      'Mini Program',
    ]) {
      expect(out).toContain(`▸ ${title}`);
    }
    expect(out).toContain('+ collection users  (missing → create)  — would change');
    expect(out).toMatch(/Dry run: \d+ change\(s\) planned; nothing was changed\./);
    await h.data.close();
  });

  it('without credentials stops at the first step, naming every missing variable', async () => {
    const h = await harness();
    const { code, out } = await h.run([], { env: {} });
    expect(code).toBe(1);
    expect(out).toContain('✗ credentials');
    for (const name of [
      'TCB_ENV_ID',
      'TCB_SECRET_ID',
      'TCB_SECRET_KEY',
      'WX_APPID',
      'WX_PRIVATE_KEY_PATH',
    ]) {
      expect(out).toContain(name);
    }
    expect(out).not.toContain('▸ build');
    expect(h.builds).toBe(0);
    expect(h.cloud.calls).toEqual([]);
    await h.data.close();
  });

  it('refuses a wrong environment id before anything else', async () => {
    const h = await harness();
    const { code, out } = await h.run([], { env: { ...env, TCB_ENV_ID: 'no-such-env' } });
    expect(code).toBe(1);
    expect(out).toContain('✗ environment: TCB_ENV_ID=no-such-env was refused');
    expect(out).toContain('→ check TCB_ENV_ID');
    expect(h.builds).toBe(0);
    expect(h.cloud.mutations()).toEqual([]);
    await h.data.close();
  });

  it('updates only what changed, and refuses a runtime it cannot change', async () => {
    const h = await harness();
    expect((await h.run(['--only', 'functions'])).code).toBe(0);
    // someone lowered a timeout and removed the timer in the console
    h.cloud.functionsState.get('api')!.timeout = 3;
    h.cloud.functionsState.get('cron')!.triggers = [];
    const before = h.cloud.mutations().length;
    expect((await h.run(['--only', 'functions'])).code).toBe(0);
    expect(
      h.cloud
        .mutations()
        .slice(before)
        .map((c) => [c.method, (c.args[0] as any)?.name ?? c.args[0]]),
    ).toEqual([
      ['functions.updateFunctionConfig', 'api'],
      ['functions.createFunctionTriggers', 'cron'],
    ]);
    expect(h.cloud.functionsState.get('api')!.variables[BUNDLE_HASH_VARIABLE]).toMatch(
      /^[0-9a-f]{64}$/,
    );

    h.cloud.functionsState.get('admin')!.runtime = 'Nodejs16.13';
    const refused = await h.run(['--only', 'functions']);
    expect(refused.code).toBe(1);
    expect(refused.out).toContain('admin runs Nodejs16.13, declared Nodejs18.15');
    expect(refused.out).toContain('delete the function admin in the CloudBase console');
    await h.data.close();
  });

  it('validates a given campaign before changing anything, and uploads the files it names', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'growth-campaign-'));
    const h = await harness();
    try {
      const [demo] = (
        await (await Emulator.start({ dataDir: null })).sdk.database().collection('campaigns').get()
      ).data as any[];
      const config = {
        ...demo.config,
        id: 'spring-2025',
        magnet: { ...demo.config.magnet, image: './spring.png' },
      };
      writeFileSync(join(dir, 'spring.png'), 'png bytes');
      writeFileSync(join(dir, 'campaign.json'), JSON.stringify(config));
      writeFileSync(
        join(dir, 'broken.json'),
        JSON.stringify({ ...config, lottery: { prizes: [] } }),
      );

      const broken = await h.run(['--campaign', join(dir, 'broken.json')]);
      expect(broken.code).toBe(1);
      expect(broken.out).toContain('✗ first campaign');
      expect(broken.out).toContain('lottery.prizes');
      expect(h.cloud.mutations()).toEqual([]);

      expect((await h.run(['--campaign', join(dir, 'campaign.json')])).code).toBe(0);
      expect(h.cloud.files.get('campaigns/spring-2025/spring.png')!.toString()).toBe('png bytes');
      const [doc] = (await h.data.sdk.database().collection('campaigns').get()).data as any[];
      expect(doc._id).toBe('spring-2025');
      expect(doc.config.magnet.image).toBe(h.cloud.fileId('campaigns/spring-2025/spring.png'));
    } finally {
      rmSync(dir, { recursive: true, force: true });
      await h.data.close();
    }
  });

  it('without --owner prints a one-time owner setup code that makes its first user the owner', async () => {
    const h = await harness();
    const { code, out } = await h.run();
    expect(code).toBe(0);
    const printed = /owner setup code: ([A-Z2-9]{5}-[A-Z2-9]{5})/.exec(out);
    expect(printed).not.toBeNull();
    // The person who will run the shop opens the bind page and types it (the real function).
    await h.data.advanceClock(0);
    const bound = await h.data.invoke(
      'api',
      { action: 'admin.bind', code: printed![1] },
      { openid: 'shop-owner' },
    );
    expect(bound.result).toMatchObject({ ok: true, data: { role: 'owner' } });
    // With an owner, a rerun issues no code.
    const again = await h.run();
    expect(again.out).not.toMatch(/owner setup code:/);
    await h.data.close();
  });
});
