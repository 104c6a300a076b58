/**
 * A stand-in for a CloudBase environment behind @cloudbase/manager-node, at the boundary of the
 * SDK's service objects: deploy calls the same methods with the same arguments it passes the real
 * SDK (the `Manager` type is picked from the SDK's own declarations), and gets answers shaped like
 * the management API's (ListTables, DescribeTable, GetFunction, DescribeResourcePermission…).
 * State lives in memory; every call is logged, so tests can count what deploy asked for.
 * Function code is read the way the SDK's packer zips it: `<functionRootPath>/<name>/*`.
 */
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { IFunctionInfo } from '@cloudbase/manager-node/types/function/types';
import type {
  CreateIndex,
  ICloudFunction,
  ICloudFunctionTrigger,
  IndexInfo,
  EnvInfo,
} from '@cloudbase/manager-node/types/interfaces';
import type { ResourcePermission } from '@cloudbase/manager-node/types/permission/types';
import type { Manager } from '../../../scripts/deploy/cloudbase';

export interface Call {
  method: string;
  args: unknown[];
}

interface FakeFunction {
  runtime: string;
  timeout: number;
  memorySize: number;
  variables: Record<string, string>;
  triggers: ICloudFunctionTrigger[];
  files: Record<string, Buffer>;
}

/** Calls that change the environment (the rest only read it). */
const MUTATIONS = new Set([
  'functions.createFunction',
  'functions.updateFunctionCode',
  'functions.updateFunctionConfig',
  'functions.createFunctionTriggers',
  'functions.deleteFunctionTrigger',
  'database.createCollection',
  'database.updateCollection',
  'permission.modifyResourcePermission',
  'storage.uploadFile',
]);

/** An error as manager-node raises it (CloudBaseError: message, code, requestId). */
export function cloudBaseError(code: string, message: string): Error {
  return Object.assign(new Error(message), { name: 'CloudBaseError', code, requestId: 'req-fake' });
}

export class FakeCloudBase implements Manager {
  readonly calls: Call[] = [];
  readonly functionsState = new Map<string, FakeFunction>();
  readonly collections = new Map<string, IndexInfo[]>();
  readonly rules = new Map<string, ResourcePermission>();
  readonly files = new Map<string, Buffer>();
  /** the env id deploy was configured with (set by the test's connect) */
  requestedEnv: string;
  private failures: Array<{ method: string; when: (args: unknown[]) => boolean; error: Error }> =
    [];

  constructor(
    readonly envId = 'growth-test-1a2b3c',
    readonly bucket = '6772-growth-test-1a2b3c-1300000000',
    /** envIds this account owns (a wrong TCB_ENV_ID is refused) */
    readonly knownEnvs = [envId],
  ) {
    this.requestedEnv = envId;
    // CloudBase's defaults: functions callable by signed-in users
    this.rules.set('function:', {
      ResourceType: 'function',
      Permission: 'CUSTOM',
      SecurityRule: JSON.stringify({ '*': { invoke: 'auth != null' } }),
    });
  }

  /** The next call of `method` whose arguments match fails with `error` (once). */
  failOnce(method: string, when: (args: unknown[]) => boolean, error: Error): void {
    this.failures.push({ method, when, error });
  }

  mutations(): Call[] {
    return this.calls.filter((c) => MUTATIONS.has(c.method));
  }

  callsOf(method: string): unknown[][] {
    return this.calls.filter((c) => c.method === method).map((c) => c.args);
  }

  private record(method: string, args: unknown[]): void {
    this.calls.push({ method, args });
    const failure = this.failures.find((f) => f.method === method && f.when(args));
    if (failure) {
      this.failures = this.failures.filter((f) => f !== failure);
      throw failure.error;
    }
  }

  private envInfo(): EnvInfo {
    return {
      EnvId: this.envId,
      Databases: [{ InstanceId: 'tnt-fake', Region: 'ap-shanghai', Status: 'RUNNING' }],
      Storages: [{ Region: 'ap-shanghai', Bucket: this.bucket }],
      PackageId: 'baas_personal',
      PackageName: '个人版',
      LogServices: [],
      CustomLogServices: [],
      Region: 'ap-shanghai',
    };
  }

  currentEnvironment() {
    return {
      lazyEnvironmentConfig: this.envInfo(),
      lazyInit: async () => {
        this.record('environment.lazyInit', []);
        if (!this.knownEnvs.includes(this.requestedEnv)) {
          throw cloudBaseError('ResourceNotFound', `Environment ${this.requestedEnv} not found`);
        }
        return this.envInfo();
      },
    };
  }

  functions: Manager['functions'] = {
    listFunctions: async (limit = 20, offset = 0) => {
      this.record('functions.listFunctions', [limit, offset]);
      return [...this.functionsState.entries()]
        .slice(offset, offset + limit)
        .map(([name, fn]) => ({ FunctionName: name, Runtime: fn.runtime, Status: 'Active' }));
    },
    getFunctionDetail: async (name: string) => {
      this.record('functions.getFunctionDetail', [name]);
      const fn = this.functionsState.get(name);
      if (!fn) throw cloudBaseError('ResourceNotFound.Function', `function ${name} not found`);
      return {
        FunctionName: name,
        Runtime: fn.runtime,
        Timeout: fn.timeout,
        MemorySize: fn.memorySize,
        Status: 'Active',
        Environment: {
          Variables: Object.entries(fn.variables).map(([Key, Value]) => ({ Key, Value })),
        },
        Triggers: fn.triggers.map((t) => ({
          TriggerName: t.name,
          Name: t.name,
          Type: t.type,
          Config: '',
          TriggerDesc: JSON.stringify({ cron: t.config }),
        })),
      } as unknown as IFunctionInfo;
    },
    createFunction: async (param) => {
      this.record('functions.createFunction', [param]);
      const { func } = param;
      if (this.functionsState.has(func.name)) {
        throw cloudBaseError('ResourceInUse.Function', `function ${func.name} exists`);
      }
      this.functionsState.set(func.name, {
        runtime: func.runtime ?? 'Nodejs18.15',
        timeout: func.timeout ?? 5,
        memorySize: func.memorySize ?? 256,
        variables: stringValues(func.envVariables),
        triggers: [...(func.triggers ?? [])],
        files: readPackedFiles(param.functionRootPath ?? '', func.name),
      });
      return { RequestId: 'req-fake' };
    },
    updateFunctionCode: async (param) => {
      this.record('functions.updateFunctionCode', [param]);
      const fn = this.existing(param.func.name);
      fn.files = readPackedFiles(param.functionRootPath ?? '', param.func.name);
      return { RequestId: 'req-fake' };
    },
    updateFunctionConfig: async (func: ICloudFunction) => {
      this.record('functions.updateFunctionConfig', [func]);
      const fn = this.existing(func.name);
      fn.timeout = func.timeout ?? fn.timeout;
      fn.memorySize = func.memorySize ?? fn.memorySize;
      // the API replaces the variables as a whole
      if (func.envVariables) fn.variables = stringValues(func.envVariables);
      return { RequestId: 'req-fake' };
    },
    createFunctionTriggers: async (name: string, triggers: ICloudFunctionTrigger[] = []) => {
      this.record('functions.createFunctionTriggers', [name, triggers]);
      const fn = this.existing(name);
      for (const trigger of triggers) {
        if (fn.triggers.some((t) => t.name === trigger.name)) {
          throw cloudBaseError('ResourceInUse.Trigger', `trigger ${trigger.name} exists`);
        }
        fn.triggers.push(trigger);
      }
      return { RequestId: 'req-fake' };
    },
    deleteFunctionTrigger: async (name: string, triggerName: string) => {
      this.record('functions.deleteFunctionTrigger', [name, triggerName]);
      const fn = this.existing(name);
      fn.triggers = fn.triggers.filter((t) => t.name !== triggerName);
      return { RequestId: 'req-fake' };
    },
    waitFunctionActive: async (name: string) => {
      this.record('functions.waitFunctionActive', [name]);
    },
  };

  database: Manager['database'] = {
    listCollections: async (options = {}) => {
      this.record('database.listCollections', [options]);
      const limit = options.MgoLimit ?? 100;
      const offset = options.MgoOffset ?? 0;
      const names = [...this.collections.keys()];
      return {
        RequestId: 'req-fake',
        Collections: names.slice(offset, offset + limit).map((name) => ({
          CollectionName: name,
          TableName: name,
          Count: 0,
          Size: 0,
          IndexCount: this.collections.get(name)?.length ?? 0,
          IndexSize: 0,
        })),
        Pager: { Offset: offset, Limit: limit, Total: names.length },
      };
    },
    createCollection: async (name: string) => {
      this.record('database.createCollection', [name]);
      if (this.collections.has(name)) {
        throw cloudBaseError('ResourceInUse', `collection ${name} exists`);
      }
      this.collections.set(name, [
        {
          Name: '_id_',
          Size: 0,
          Keys: [{ Name: '_id', Direction: '1' }],
          Unique: true,
          Accesses: { Ops: 0, Since: '' },
        },
      ]);
      // a new collection gets CloudBase's default rule: only the creator reads and writes
      this.rules.set(`collection:${name}`, {
        ResourceType: 'collection',
        Resource: name,
        Permission: 'PRIVATE',
      });
      return { RequestId: 'req-fake' };
    },
    describeCollection: async (name: string) => {
      this.record('database.describeCollection', [name]);
      const indexes = this.collections.get(name);
      if (!indexes) throw cloudBaseError('ResourceNotFound', `collection ${name} not found`);
      return { RequestId: 'req-fake', Indexes: indexes, IndexNum: indexes.length };
    },
    updateCollection: async (name: string, info: { CreateIndexes?: CreateIndex[] }) => {
      this.record('database.updateCollection', [name, info]);
      const indexes = this.collections.get(name);
      if (!indexes) throw cloudBaseError('ResourceNotFound', `collection ${name} not found`);
      for (const index of info.CreateIndexes ?? []) {
        if (indexes.some((i) => i.Name === index.IndexName)) {
          throw cloudBaseError('ResourceInUse.Index', `index ${index.IndexName} exists`);
        }
        indexes.push({
          Name: index.IndexName,
          Size: 0,
          Keys: index.MgoKeySchema.MgoIndexKeys.map((k) => ({
            Name: k.Name,
            Direction: k.Direction,
          })),
          Unique: index.MgoKeySchema.MgoIsUnique,
          Accesses: { Ops: 0, Since: '' },
        });
      }
      return { RequestId: 'req-fake' };
    },
  };

  permission: Manager['permission'] = {
    describeResourcePermission: async (options) => {
      this.record('permission.describeResourcePermission', [options]);
      const list = [...this.rules.values()].filter(
        (p) =>
          p.ResourceType === options.resourceType &&
          (!options.resources || options.resources.includes(p.Resource ?? '')),
      );
      return { RequestId: 'req-fake', Data: { TotalCount: list.length, PermissionList: list } };
    },
    modifyResourcePermission: async (options) => {
      this.record('permission.modifyResourcePermission', [options]);
      if (options.resourceType === 'collection' && !this.collections.has(options.resource ?? '')) {
        throw cloudBaseError('ResourceNotFound', `collection ${options.resource} not found`);
      }
      this.rules.set(`${options.resourceType}:${options.resource ?? ''}`, {
        ResourceType: options.resourceType,
        Resource: options.resource,
        Permission: options.permission,
        SecurityRule: options.securityRule,
      });
      return { RequestId: 'req-fake', Data: { Success: true } };
    },
  };

  storage: Manager['storage'] = {
    getFileInfo: async (cloudPath: string) => {
      this.record('storage.getFileInfo', [cloudPath]);
      const bytes = this.files.get(cloudPath);
      // the COS SDK rejects a HEAD of a missing key with its status code
      if (!bytes) throw Object.assign(new Error('Not Found'), { statusCode: 404 });
      return {
        Size: (bytes.length / 1024).toFixed(2),
        Type: 'image/svg+xml',
        Date: new Date().toUTCString(),
        ETag: `"${createHash('md5').update(bytes).digest('hex')}"`,
      };
    },
    uploadFile: async (options) => {
      this.record('storage.uploadFile', [options]);
      this.files.set(options.cloudPath ?? '', readFileSync(options.localPath));
    },
  };

  fileId(cloudPath: string): string {
    return `cloud://${this.envId}.${this.bucket}/${cloudPath}`;
  }

  private existing(name: string): FakeFunction {
    const fn = this.functionsState.get(name);
    if (!fn) throw cloudBaseError('ResourceNotFound.Function', `function ${name} not found`);
    return fn;
  }
}

function stringValues(variables: ICloudFunction['envVariables']): Record<string, string> {
  return Object.fromEntries(Object.entries(variables ?? {}).map(([k, v]) => [k, String(v)]));
}

/** What the SDK's packer would zip: every file of `<root>/<name>/`. */
function readPackedFiles(root: string, name: string): Record<string, Buffer> {
  const dir = join(root, name);
  return Object.fromEntries(readdirSync(dir).map((file) => [file, readFileSync(join(dir, file))]));
}
