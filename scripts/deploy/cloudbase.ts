/**
 * The two official clients deploy talks to, and the parts of them it uses:
 * - `@cloudbase/manager-node` (the management API, what the CloudBase CLI is built on) for the
 *   environment itself: functions, collections, indexes, security rules, storage uploads;
 * - `wx-server-sdk`, the SDK the functions use, initialised with the API key, for the few
 *   documents deploy writes (the first campaign, the first owner), so they are written exactly
 *   as the functions would write them.
 * Tests hand in stand-ins of the same shapes (typed by the real SDKs' declarations).
 */
import type CloudBase from '@cloudbase/manager-node';
import type { DatabaseService } from '@cloudbase/manager-node/types/database';
import type { FunctionService } from '@cloudbase/manager-node/types/function';
import type { EnvInfo } from '@cloudbase/manager-node/types/interfaces';
import type { PermissionService } from '@cloudbase/manager-node/types/permission';
import type { StorageService } from '@cloudbase/manager-node/types/storage';
import type * as WxServerSdk from 'wx-server-sdk';

export interface Manager {
  /** `lazyInit` (DescribeEnvInfo) loads the environment, its database instance and bucket */
  currentEnvironment(): { lazyInit(): Promise<unknown>; lazyEnvironmentConfig: EnvInfo };
  functions: Pick<
    FunctionService,
    | 'listFunctions'
    | 'getFunctionDetail'
    | 'createFunction'
    | 'updateFunctionCode'
    | 'updateFunctionConfig'
    | 'createFunctionTriggers'
    | 'deleteFunctionTrigger'
    | 'waitFunctionActive'
  >;
  database: Pick<
    DatabaseService,
    'listCollections' | 'createCollection' | 'describeCollection' | 'updateCollection'
  >;
  permission: Pick<PermissionService, 'describeResourcePermission' | 'modifyResourcePermission'>;
  storage: Pick<StorageService, 'getFileInfo' | 'uploadFile'>;
}

/** A stored file's fileID, as manager-node's (private) cloudPathToFileId makes it. */
export function fileIdOf(manager: Manager, cloudPath: string): string {
  const { EnvId, Storages } = manager.currentEnvironment().lazyEnvironmentConfig;
  return `cloud://${EnvId}.${Storages?.[0]?.Bucket}/${cloudPath}`;
}

/** The part of wx-server-sdk's database deploy writes with (the emulator's stand-in has it too). */
export interface DocumentDatabase {
  collection(name: string): {
    count(): Promise<{ total: number }>;
    where(query: object): {
      get(): Promise<{ data: unknown[] }>;
      count(): Promise<{ total: number }>;
    };
    doc(id: string): { set(options: { data: object }): Promise<unknown> };
  };
}

export interface Credentials {
  envId: string;
  secretId: string;
  secretKey: string;
}

export interface Connection {
  manager: Manager;
  database: () => DocumentDatabase;
}

/** The real clients. Required lazily: a dry run without credentials never loads them. */
export function connect({ envId, secretId, secretKey }: Credentials): Connection {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const Manager = require('@cloudbase/manager-node') as typeof CloudBase;
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const cloud = require('wx-server-sdk') as typeof WxServerSdk;
  cloud.init({ env: envId, secretId, secretKey } as Parameters<typeof cloud.init>[0]);
  return {
    manager: new Manager({ envId, secretId, secretKey }),
    database: () => cloud.database() as unknown as DocumentDatabase,
  };
}

/** A rule as CloudBase stores it (a JSON string) equals the declared object. */
export function sameJson(stored: string | undefined, declared: object): boolean {
  try {
    return (
      JSON.stringify(sorted(JSON.parse(stored ?? 'null'))) === JSON.stringify(sorted(declared))
    );
  } catch {
    return false;
  }
}

function sorted(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sorted);
  if (typeof value !== 'object' || value === null) return value;
  return Object.fromEntries(
    Object.keys(value)
      .sort()
      .map((key) => [key, sorted((value as Record<string, unknown>)[key])]),
  );
}
