/**
 * The cloud functions (api, admin, cron) and who may call them. manager-node calls used:
 * - `functions.listFunctions` / `getFunctionDetail` (SCF ListFunctions / GetFunction): what exists;
 * - `functions.createFunction` (CreateFunction, then its triggers) for a missing function;
 * - `functions.updateFunctionCode` (UpdateFunctionCode) when the bundle changed, and
 *   `updateFunctionConfig` (UpdateFunctionConfiguration) when timeout, memory or variables did,
 *   each after `waitFunctionActive` (SCF refuses an update while the last one is in progress);
 * - `functions.deleteFunctionTrigger` / `createFunctionTriggers` for a missing or changed timer;
 * - `permission.describeResourcePermission` / `modifyResourcePermission` (ResourceType
 *   `function`, CUSTOM): the environment's one function invoke rule (云函数安全规则).
 *
 * Code travels as a zip in the request (`deployMode: 'zip'`, ≤ 1.5 MB) of exactly the files the
 * function needs: index.js, package.json (CloudBase installs wx-server-sdk from it) and WeChat's
 * config.json. Whether the code changed is known from a hash of those files kept in the function's
 * environment variable GROWTH_KIT_BUNDLE_SHA256, so a rerun uploads nothing that is already there.
 */
import { createHash } from 'node:crypto';
import { copyFileSync, existsSync, mkdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { ICloudFunction } from '@cloudbase/manager-node/types/interfaces';
import { sameJson, type Manager } from './cloudbase';
import type { Declaration, FunctionDeclaration } from './declaration';
import { change, DeployError, ok, unknown, type PlanItem, type Step } from './plan';

export const BUNDLE_HASH_VARIABLE = 'GROWTH_KIT_BUNDLE_SHA256';

interface Staged {
  root: string;
  hash: string;
  bytes: number;
}

/** Copies a function's deployable files into `<stagingRoot>/<name>/` and hashes them. */
function stageFunction(decl: Declaration, fn: FunctionDeclaration, stagingRoot: string) {
  const source = join(decl.projectRoot, 'cloudfunctions', fn.name);
  const target = join(stagingRoot, fn.name);
  rmSync(target, { recursive: true, force: true });
  mkdirSync(target, { recursive: true });
  const hash = createHash('sha256');
  let bytes = 0;
  for (const file of fn.files) {
    const path = join(source, file);
    if (!existsSync(path)) {
      throw new DeployError(
        'functions',
        `cloudfunctions/${fn.name}/${file} is missing`,
        file === 'index.js' ? 'the build step writes it: run `npm run build`' : undefined,
      );
    }
    copyFileSync(path, join(target, file));
    hash.update(`${file}\0`).update(readFileSync(path));
    bytes += statSync(path).size;
  }
  return { root: stagingRoot, hash: hash.digest('hex'), bytes } satisfies Staged;
}

function cloudFunction(fn: FunctionDeclaration, staged: Staged): ICloudFunction {
  return {
    name: fn.name,
    runtime: fn.runtime,
    handler: fn.handler,
    timeout: fn.timeout,
    memorySize: fn.memorySize,
    installDependency: true,
    envVariables: { ...fn.envVariables, [BUNDLE_HASH_VARIABLE]: staged.hash },
    triggers: fn.triggers,
  };
}

const kb = (bytes: number) => `${(bytes / 1024).toFixed(1)} KB`;
const describeTrigger = (t: { name: string; type: string; config: string }) =>
  `trigger ${t.name} (${t.type} ${t.config})`;

export function functionsStep(
  decl: Declaration,
  stagingRoot: string,
  manager: () => Manager,
): Step {
  return {
    part: 'functions',
    title: `functions: ${decl.functions.map((fn) => fn.name).join(', ')}`,
    async plan(connected) {
      const staged = decl.functions.map((fn) => stageFunction(decl, fn, stagingRoot));
      if (!connected) {
        return [
          ...decl.functions.flatMap((fn, i) => [
            unknown(
              `function ${fn.name}`,
              `${fn.runtime}, ${fn.timeout} s, ${fn.memorySize} MB; uploads ${fn.files.join(', ')} (${kb(staged[i].bytes)})`,
            ),
            ...fn.triggers.map((t) => unknown(`${fn.name} ${describeTrigger(t)}`)),
          ]),
          unknown('function invoke rule', JSON.stringify(decl.functionRule)),
        ];
      }
      const { functions } = manager();
      const existing = new Map(
        (await functions.listFunctions(100, 0)).map((f) => [f.FunctionName, f]),
      );
      const items: PlanItem[] = [];
      for (const [i, fn] of decl.functions.entries()) {
        const func = cloudFunction(fn, staged[i]);
        if (!existing.has(fn.name)) {
          const triggers = fn.triggers.map((t) => `, ${describeTrigger(t)}`).join('');
          items.push(
            change(
              `function ${fn.name}`,
              `missing → create, ${kb(staged[i].bytes)}${triggers}`,
              async () => {
                // CreateFunction, then its triggers (BatchCreateTrigger)
                await functions.createFunction({
                  func,
                  functionRootPath: stagingRoot,
                  deployMode: 'zip',
                });
              },
            ),
          );
          continue;
        }
        items.push(...(await planExisting(manager(), fn, func, staged[i])));
      }
      items.push(await planInvokeRule(manager(), decl.functionRule));
      return items;
    },
  };
}

async function planExisting(
  manager: Manager,
  fn: FunctionDeclaration,
  func: ICloudFunction,
  staged: Staged,
): Promise<PlanItem[]> {
  const { functions } = manager;
  const detail = await functions.getFunctionDetail(fn.name);
  if (detail.Runtime !== fn.runtime) {
    throw new DeployError(
      'functions',
      `${fn.name} runs ${detail.Runtime}, declared ${fn.runtime}: CloudBase cannot change the runtime of an existing function`,
      `delete the function ${fn.name} in the CloudBase console (云函数 → 删除) and rerun: it is created with ${fn.runtime}`,
    );
  }
  const items: PlanItem[] = [];
  const variables = Object.fromEntries(
    (detail.Environment?.Variables ?? []).map((v) => [v.Key, v.Value]),
  );
  if (variables[BUNDLE_HASH_VARIABLE] === staged.hash) {
    items.push(ok(`${fn.name} code`, 'unchanged'));
  } else {
    items.push(
      change(`${fn.name} code`, `upload ${kb(staged.bytes)}`, async () => {
        await functions.waitFunctionActive(fn.name);
        await functions.updateFunctionCode({
          func,
          functionRootPath: staged.root,
          deployMode: 'zip',
        });
      }),
    );
  }
  const configDiff = [
    detail.Timeout !== fn.timeout ? `timeout ${detail.Timeout} → ${fn.timeout} s` : '',
    detail.MemorySize !== fn.memorySize ? `memory ${detail.MemorySize} → ${fn.memorySize} MB` : '',
    // only the declared variables: the platform may add its own
    Object.entries(func.envVariables ?? {}).some(([key, value]) => variables[key] !== value)
      ? 'environment variables'
      : '',
  ].filter(Boolean);
  items.push(
    configDiff.length === 0
      ? ok(`${fn.name} config`, `${fn.timeout} s, ${fn.memorySize} MB`)
      : change(`${fn.name} config`, configDiff.join(', '), async () => {
          await functions.waitFunctionActive(fn.name);
          await functions.updateFunctionConfig(func);
        }),
  );
  for (const trigger of fn.triggers) {
    const current = (detail.Triggers ?? []).find((t) => (t.TriggerName || t.Name) === trigger.name);
    const same =
      current &&
      current.Type === trigger.type &&
      (current.Config === trigger.config || (current.TriggerDesc ?? '').includes(trigger.config));
    items.push(
      same
        ? ok(`${fn.name} ${describeTrigger(trigger)}`)
        : change(
            `${fn.name} ${describeTrigger(trigger)}`,
            current ? 'changed' : 'missing',
            async () => {
              await functions.waitFunctionActive(fn.name);
              if (current) await functions.deleteFunctionTrigger(fn.name, trigger.name);
              await functions.createFunctionTriggers(fn.name, [trigger]);
            },
          ),
    );
  }
  return items;
}

async function planInvokeRule(
  manager: Manager,
  rule: Declaration['functionRule'],
): Promise<PlanItem> {
  const { permission } = manager;
  const res = await permission.describeResourcePermission({ resourceType: 'function' });
  const current = (res.Data?.PermissionList ?? []).find((p) => p.ResourceType === 'function');
  const what = 'function invoke rule';
  if (current?.Permission === 'CUSTOM' && sameJson(current.SecurityRule, rule)) return ok(what);
  return change(what, JSON.stringify(rule), async () => {
    await permission.modifyResourcePermission({
      resourceType: 'function',
      permission: 'CUSTOM',
      securityRule: JSON.stringify(rule),
    });
  });
}
