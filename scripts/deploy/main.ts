/**
 * `npm run deploy`: from a clone to a live CloudBase environment and an uploaded Mini Program.
 * The steps, in order (each reads what exists first and does only what is missing, so a rerun
 * continues where a failed run stopped):
 *   credentials → environment → build → database (collections, indexes, rules) → functions
 *   (code, config, timer, invoke rule) → storage (the first campaign's images) → first campaign
 *   → first owner → Mini Program.
 * The database comes before the functions so that code never runs against a collection or an
 * index it needs and the environment lacks.
 *
 * `--dry-run` prints the plan and changes nothing: with credentials it compares with the
 * environment; without, it lists what the project declares.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { parseArgs } from 'node:util';
import { demoCampaignSource, fileCampaignSource, storageStep, type CampaignSource } from './assets';
import { connect, type Connection, type Credentials } from './cloudbase';
import {
  firstCampaignStep,
  firstOwnerStep,
  ownerSetupCodeStep,
  parseFirstCampaign,
  placeholderLocation,
} from './data';
import { databaseStep } from './database';
import { readDeclaration } from './declaration';
import { functionsStep } from './functions';
import { miniprogramCi, miniprogramStep, type Publisher } from './miniprogram';
import {
  asDeployError,
  DeployError,
  PARTS,
  runSteps,
  type Output,
  type Part,
  type Step,
} from './plan';

export interface DeployDeps {
  projectRoot: string;
  env: Record<string, string | undefined>;
  out: Output;
  /** bundles the functions (scripts/bundle.mjs) */
  build: () => Promise<Array<{ file: string; bytes: number }>>;
  connect: (credentials: Credentials) => Connection;
  publisher: Publisher;
  /** where deploy stages what it uploads (default dist/deploy) */
  staging?: string;
}

const USAGE = `Usage: npm run deploy -- [options]

  --dry-run             print the plan (what exists, what would change); change nothing
  --only <part>         one part: ${PARTS.join(' | ')}
  --owner <openid>      make this WeChat user the first owner (admins)
  --campaign <file>     the first campaign's config (default: the demo campaign)
  --preview             compile and preview the Mini Program instead of uploading a version
  --qrcode <file>       where --preview writes the QR code (default dist/deploy/preview-qrcode.jpg)
  --version <x.y.z>     Mini Program version (default: package.json version)
  --desc <text>         Mini Program version description (default: the git commit)
  --robot <1-30>        miniprogram-ci robot (default 1)

Environment: TCB_ENV_ID, TCB_SECRET_ID, TCB_SECRET_KEY (functions, database, storage);
WX_APPID, WX_PRIVATE_KEY_PATH (miniprogram). TCB_REGION if not ap-shanghai.`;

const CLOUD_VARIABLES = {
  TCB_ENV_ID: 'the CloudBase environment id (云开发控制台 → 环境 ID)',
  TCB_SECRET_ID: 'SecretId of a Tencent Cloud API key (访问管理 → API 密钥)',
  TCB_SECRET_KEY: 'SecretKey of the same API key',
} as const;
const WX_VARIABLES = {
  WX_APPID: 'the Mini Program AppID (mp.weixin.qq.com → 开发管理 → 开发设置)',
  WX_PRIVATE_KEY_PATH:
    'path of the code upload key file (代码上传密钥, same page; whitelist this IP)',
} as const;

/** The command line: this process's arguments and environment, the real clients. */
export function run(projectRoot: string, build: DeployDeps['build']): Promise<number> {
  return deploy(process.argv.slice(2), {
    projectRoot,
    env: process.env,
    out: { log: (line) => console.log(line) },
    build,
    connect,
    publisher: miniprogramCi,
  });
}

/** Runs the deploy; answers the process exit code. */
export async function deploy(argv: string[], deps: DeployDeps): Promise<number> {
  const { out, env, projectRoot } = deps;
  let args: ReturnType<typeof parse>;
  try {
    args = parse(argv);
  } catch (error) {
    out.log(`${(error as Error).message}\n\n${USAGE}`);
    return 2;
  }
  if (args.help) {
    out.log(USAGE);
    return 0;
  }
  const parts = args.only ? [args.only] : [...PARTS];
  const dryRun = args['dry-run'];
  out.log(
    `Growth Kit deploy${dryRun ? ' — dry run: nothing is changed' : ''} (${parts.join(', ')})`,
  );

  let stepsStarted = false;
  try {
    // 1. credentials: all that the chosen parts need, named at once
    out.log('\n▸ credentials');
    const usesCloud = parts.some((p) => p !== 'miniprogram');
    const usesWx = parts.includes('miniprogram');
    const missing = [
      ...(usesCloud ? missingVariables(env, CLOUD_VARIABLES) : []),
      ...(usesWx ? missingVariables(env, WX_VARIABLES) : []),
    ];
    const keyPath = env.WX_PRIVATE_KEY_PATH;
    if (usesWx && keyPath && !existsSync(keyPath))
      missing.push(`WX_PRIVATE_KEY_PATH: ${keyPath} does not exist`);
    const cloudReady = usesCloud && missingVariables(env, CLOUD_VARIABLES).length === 0;
    const wxReady = usesWx && Boolean(env.WX_APPID && keyPath && existsSync(keyPath));
    if (missing.length > 0 && !dryRun) {
      throw new DeployError(
        'credentials',
        `missing:\n    ${missing.join('\n    ')}`,
        'export them (see README → Deploy), or run with --dry-run to see the plan',
      );
    }
    for (const line of missing) out.log(`  · ${line}`);
    if (missing.length > 0) out.log('  (not compared with an environment where they are missing)');
    else out.log('  = all set');

    // 2. the environment exists and the key may manage it
    let opened: Connection | null = null;
    // only steps that run `connected` call it (see runSteps)
    const connection = (): Connection => {
      if (!opened) throw new Error('deploy has no connection to the environment');
      return opened;
    };
    if (cloudReady) {
      out.log('\n▸ environment');
      const credentials = {
        envId: env.TCB_ENV_ID as string,
        secretId: env.TCB_SECRET_ID as string,
        secretKey: env.TCB_SECRET_KEY as string,
      };
      opened = deps.connect(credentials);
      try {
        await opened.manager.currentEnvironment().lazyInit();
      } catch (error) {
        const refused = asDeployError('environment', error);
        throw new DeployError(
          'environment',
          `TCB_ENV_ID=${credentials.envId} was refused: ${refused.message}`,
          refused.fix ??
            'check the environment id and that the API key belongs to the account that owns it',
        );
      }
      out.log(`  = ${credentials.envId}`);
    }

    // 3. local checks before anything changes: the declarations, the campaign config
    const decl = readDeclaration(projectRoot);
    const staging = deps.staging ?? join(projectRoot, 'dist', 'deploy');
    let campaign: Promise<CampaignSource> | null = null;
    const source = () =>
      (campaign ??= args.campaign
        ? Promise.resolve(fileCampaignSource(args.campaign))
        : demoCampaignSource(projectRoot));
    if (parts.includes('database') || parts.includes('storage')) {
      parseFirstCampaign(await source(), placeholderLocation);
    }

    // 4. the bundles that deploy (a dry run builds too: the plan compares what would upload)
    if (parts.includes('functions')) {
      out.log('\n▸ build');
      for (const { file, bytes } of await deps.build())
        out.log(`  = ${file}  (${(bytes / 1024).toFixed(1)} KB)`);
    }

    // 5. everything else, in order
    const manager = () => connection().manager;
    const database = () => connection().database();
    const steps: Step[] = [
      databaseStep(decl, manager),
      functionsStep(decl, join(staging, 'functions'), manager),
      storageStep(source, staging, manager),
      firstCampaignStep(source, connection),
      args.owner
        ? firstOwnerStep(args.owner, database)
        : ownerSetupCodeStep(database, (line) => out.log(line)),
      miniprogramStep(
        projectRoot,
        { appid: env.WX_APPID, privateKeyPath: keyPath },
        {
          version: args.version ?? packageVersion(projectRoot),
          desc: args.desc ?? commitDescription(projectRoot),
          robot: Number(args.robot ?? 1),
          previewQrcode: args.preview
            ? relative(process.cwd(), args.qrcode ?? join(staging, 'preview-qrcode.jpg'))
            : undefined,
        },
        deps.publisher,
      ),
    ].filter((step) => parts.includes(step.part));
    stepsStarted = true;
    const { changes, uncompared } = await runSteps(steps, {
      dryRun,
      connected: (step) => (step.part === 'miniprogram' ? wxReady : cloudReady),
      out,
    });

    const notCompared = uncompared > 0 ? `, ${uncompared} item(s) not compared` : '';
    out.log(
      dryRun
        ? `\nDry run: ${changes} change(s) planned${notCompared}; nothing was changed.`
        : `\nDone: ${changes} change(s) made. Console-only steps that remain: README → Deploy.`,
    );
    return 0;
  } catch (error) {
    const failure = asDeployError('deploy', error);
    out.log(`\n✗ ${failure.step}: ${failure.message}`);
    if (failure.fix) out.log(`  → ${failure.fix}`);
    if (stepsStarted && !dryRun) out.log('  A rerun continues where this one stopped.');
    return 1;
  }
}

function parse(argv: string[]) {
  const { values } = parseArgs({
    args: argv,
    strict: true,
    options: {
      'dry-run': { type: 'boolean', default: false },
      only: { type: 'string' },
      owner: { type: 'string' },
      campaign: { type: 'string' },
      preview: { type: 'boolean', default: false },
      qrcode: { type: 'string' },
      version: { type: 'string' },
      desc: { type: 'string' },
      robot: { type: 'string' },
      help: { type: 'boolean', default: false },
    },
  });
  if (values.only !== undefined && !PARTS.includes(values.only as Part)) {
    throw new Error(`--only takes one of ${PARTS.join(', ')}, not "${values.only}"`);
  }
  const robot = Number(values.robot ?? 1);
  if (!Number.isInteger(robot) || robot < 1 || robot > 30) {
    throw new Error('--robot takes a whole number from 1 to 30');
  }
  return { ...values, only: values.only as Part | undefined };
}

function missingVariables(
  env: Record<string, string | undefined>,
  variables: Record<string, string>,
): string[] {
  return Object.entries(variables)
    .filter(([name]) => !env[name])
    .map(([name, what]) => `${name}: ${what}`);
}

function packageVersion(projectRoot: string): string {
  return (
    JSON.parse(readFileSync(join(projectRoot, 'package.json'), 'utf8')) as { version: string }
  ).version;
}

function commitDescription(projectRoot: string): string {
  try {
    const commit = execFileSync('git', ['log', '-1', '--format=%h %s'], {
      cwd: projectRoot,
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'ignore'],
    }).trim();
    return `deploy ${commit}`.slice(0, 100);
  } catch {
    return 'deploy';
  }
}
