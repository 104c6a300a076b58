/**
 * What the real @cloudbase/manager-node sends when deploy drives it: the database and functions
 * steps run through the SDK itself, whose HTTP function is replaced by a stand-in of the
 * management API (support/fake-management-api.ts). The documents deploy writes go to the emulator.
 */
import { copyFileSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Emulator } from '../../emulator/emulator';
import { connect, type DocumentDatabase } from '../../scripts/deploy/cloudbase';
import { readDeclaration } from '../../scripts/deploy/declaration';
import { deploy } from '../../scripts/deploy/main';
import { FakeManagementApi } from './support/fake-management-api';

// eslint-disable-next-line @typescript-eslint/no-require-imports
const http = require('@cloudbase/manager-node/lib/utils/http-request') as {
  fetch: (...args: unknown[]) => Promise<unknown>;
};

const repo = join(__dirname, '..', '..');
const declared = readDeclaration(repo);
const ENV = 'growth-req-9z8y7x';
let project: string;
let data: Emulator;
let api: FakeManagementApi;

beforeAll(async () => {
  project = mkdtempSync(join(tmpdir(), 'growth-deploy-requests-'));
  copyFileSync(join(repo, 'cloudbaserc.json'), join(project, 'cloudbaserc.json'));
  copyFileSync(join(repo, 'package.json'), join(project, 'package.json'));
  for (const fn of declared.functions) {
    const dir = join(project, 'cloudfunctions', fn.name);
    mkdirSync(dir, { recursive: true });
    for (const file of ['index.js', 'package.json']) {
      copyFileSync(join(repo, 'cloudfunctions', fn.name, file), join(dir, file));
    }
    writeFileSync(join(dir, 'config.json'), JSON.stringify({ triggers: fn.triggers }));
  }
  data = await Emulator.start({ dataDir: null, seed: false });
  api = new FakeManagementApi(ENV);
  jest.spyOn(http, 'fetch').mockImplementation(api.fetch as never);
  // manager-node logs its upload mode; keep the test output to the test
  jest.spyOn(console, 'log').mockImplementation(() => undefined);
});

afterAll(async () => {
  jest.restoreAllMocks();
  await data.close();
  rmSync(project, { recursive: true, force: true });
});

function run(...argv: string[]) {
  const lines: string[] = [];
  return deploy(argv, {
    projectRoot: project,
    staging: join(project, 'dist', 'deploy'),
    env: { TCB_ENV_ID: ENV, TCB_SECRET_ID: 'AKIDtest', TCB_SECRET_KEY: 'secret' },
    out: { log: (line) => lines.push(line) },
    build: async () => [],
    connect: (credentials) => ({
      manager: connect(credentials).manager,
      database: () => data.sdk.database() as unknown as DocumentDatabase,
    }),
    publisher: { upload: async () => undefined, preview: async () => undefined },
  }).then((code) => ({ code, out: lines.join('\n') }));
}

describe('the requests the real manager-node sends for deploy', () => {
  it('creates tables, indexes, rules and functions with the API’s own request shapes, and nothing on a rerun', async () => {
    const database = await run('--only', 'database');
    expect(database.out).not.toContain('✗');
    expect(database.code).toBe(0);
    const functions = await run('--only', 'functions');
    expect(functions.out).not.toContain('✗');
    expect(functions.code).toBe(0);

    const writes = api.writes();
    const of = (action: string) => writes.filter((r) => r.action === action).map((r) => r.body);
    expect(of('CreateTable').map((b) => b.TableName)).toEqual(
      declared.database.collections.map((c) => c.name),
    );
    expect(of('CreateTable')[0]).toMatchObject({
      EnvId: ENV,
      MongoConnector: { DatabaseName: 'tnt-test', InstanceId: 'flexdb' },
    });
    const users = of('UpdateTable').find((b) => b.TableName === 'users');
    expect(users?.CreateIndexes).toContainEqual({
      IndexName: 'inviteCode_unique',
      MgoKeySchema: { MgoIndexKeys: [{ Name: 'inviteCode', Direction: '1' }], MgoIsUnique: true },
    });
    expect(of('UpdateTable').flatMap((b) => b.CreateIndexes)).toHaveLength(
      declared.database.collections.reduce((n, c) => n + c.indexes.length, 0),
    );
    expect(of('ModifyResourcePermission')).toContainEqual({
      EnvId: ENV,
      ResourceType: 'collection',
      Resource: 'users',
      Permission: 'CUSTOM',
      SecurityRule: '{"read":false,"write":false}',
    });
    expect(of('ModifyResourcePermission')).toContainEqual({
      EnvId: ENV,
      ResourceType: 'function',
      Permission: 'CUSTOM',
      SecurityRule: '{"*":{"invoke":"auth != null"},"cron":{"invoke":false}}',
    });

    const created = of('CreateFunction');
    expect(created.map((b) => [b.FunctionName, b.Runtime, b.InstallDependency])).toEqual([
      ['api', 'Nodejs18.15', 'TRUE'],
      ['admin', 'Nodejs18.15', 'TRUE'],
      ['cron', 'Nodejs18.15', 'TRUE'],
    ]);
    for (const name of ['api', 'admin', 'cron']) {
      expect(api.functions.get(name)?.files.sort()).toEqual([
        'config.json',
        'index.js',
        'package.json',
      ]);
    }
    expect(of('BatchCreateTrigger')).toEqual([
      expect.objectContaining({
        FunctionName: 'cron',
        Triggers: JSON.stringify([
          { TriggerName: 'hourly', Type: 'timer', TriggerDesc: '0 0 * * * * *' },
        ]),
      }),
    ]);

    const before = api.writes().length;
    expect((await run('--only', 'database')).code).toBe(0);
    expect((await run('--only', 'functions')).code).toBe(0);
    expect(api.writes().slice(before)).toEqual([]);
  });

  it('names the environment step when the API does not know the environment', async () => {
    const lines: string[] = [];
    const code = await deploy(['--only', 'database'], {
      projectRoot: project,
      env: { TCB_ENV_ID: 'other-env', TCB_SECRET_ID: 'AKIDtest', TCB_SECRET_KEY: 'secret' },
      out: { log: (line) => lines.push(line) },
      build: async () => [],
      connect,
      publisher: { upload: async () => undefined, preview: async () => undefined },
    });
    expect(code).toBe(1);
    expect(lines.join('\n')).toContain('✗ environment: TCB_ENV_ID=other-env was refused');
  });
});
