/**
 * What `npm run deploy` creates, read from the project's own files and nothing else:
 * - cloudbaserc.json `functions` (the CloudBase CLI's format, so `tcb fn deploy` still works):
 *   runtime, handler, timeout, memory, environment variables, triggers;
 * - cloudbaserc.json `growthKit` (emulator/config.ts, the reader the emulator uses too):
 *   collections, indexes, the collections' security rule and the functions' invoke rule;
 * - cloudfunctions/<name>/config.json, WeChat's per-function config (`permissions.openapi`,
 *   `triggers`), which DevTools reads: it is uploaded with the function, and where it declares
 *   triggers they must be the ones cloudbaserc.json declares (one hourly timer, whichever route
 *   deploys it).
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { readGrowthKitDeclaration, type GrowthKitDeclaration } from '../../emulator/config';

export interface TriggerDeclaration {
  name: string;
  type: string;
  config: string;
}

export interface FunctionDeclaration {
  name: string;
  runtime: string;
  handler: string;
  timeout: number;
  memorySize: number;
  envVariables: Record<string, string>;
  triggers: TriggerDeclaration[];
  /** the files that deploy, relative to the function's folder */
  files: string[];
}

export interface Declaration extends GrowthKitDeclaration {
  projectRoot: string;
  functions: FunctionDeclaration[];
}

interface RcFunction {
  name: string;
  runtime?: string;
  handler?: string;
  timeout?: number;
  memorySize?: number;
  envVariables?: Record<string, string | number | boolean>;
  triggers?: TriggerDeclaration[];
}

/** The bundle, its package.json (CloudBase installs wx-server-sdk from it), WeChat's config. */
const FUNCTION_FILES = ['index.js', 'package.json', 'config.json'];

export function readDeclaration(projectRoot: string): Declaration {
  const rc = JSON.parse(readFileSync(join(projectRoot, 'cloudbaserc.json'), 'utf8')) as {
    functions: RcFunction[];
  };
  return {
    projectRoot,
    ...readGrowthKitDeclaration(projectRoot),
    functions: rc.functions.map((fn) => readFunction(projectRoot, fn)),
  };
}

function readFunction(projectRoot: string, fn: RcFunction): FunctionDeclaration {
  const dir = join(projectRoot, 'cloudfunctions', fn.name);
  const triggers = fn.triggers ?? [];
  const wechatConfig = join(dir, 'config.json');
  if (existsSync(wechatConfig)) {
    const declared = (JSON.parse(readFileSync(wechatConfig, 'utf8')) as { triggers?: unknown })
      .triggers;
    if (declared !== undefined && JSON.stringify(declared) !== JSON.stringify(triggers)) {
      throw new Error(
        `cloudfunctions/${fn.name}/config.json declares triggers ${JSON.stringify(declared)}, ` +
          `cloudbaserc.json declares ${JSON.stringify(triggers)}: make them the same`,
      );
    }
  }
  return {
    name: fn.name,
    // CloudBase's defaults for what the file leaves out
    runtime: fn.runtime ?? 'Nodejs18.15',
    handler: fn.handler ?? 'index.main',
    timeout: fn.timeout ?? 5,
    memorySize: fn.memorySize ?? 256,
    envVariables: Object.fromEntries(
      Object.entries(fn.envVariables ?? {}).map(([key, value]) => [key, String(value)]),
    ),
    triggers,
    files: FUNCTION_FILES.filter((file) => file !== 'config.json' || existsSync(wechatConfig)),
  };
}
