/**
 * The Tencent Cloud management API as the real @cloudbase/manager-node sees it: a stand-in for the
 * SDK's one HTTP function (`lib/utils/http-request` → `fetch(url, config)`), answering the signed
 * JSON requests (`X-TC-Action`, body) that deploy's calls become, from an in-memory environment.
 * It covers the actions deploy's database and functions steps need; any other action fails the
 * test loudly, so a change in what the SDK sends is noticed.
 */
export interface Request {
  host: string;
  action: string;
  body: Record<string, any>;
}

interface Table {
  indexes: Array<{
    Name: string;
    Keys: Array<{ Name: string; Direction: string }>;
    Unique: boolean;
  }>;
}

interface Fn {
  Runtime: string;
  Timeout: number;
  MemorySize: number;
  Variables: Array<{ Key: string; Value: string }>;
  Triggers: Array<{ TriggerName: string; Type: string; TriggerDesc: string }>;
  files: string[];
}

const WRITES = /^(Create|Update|Modify|Delete|BatchCreate)/;

export class FakeManagementApi {
  readonly requests: Request[] = [];
  readonly tables = new Map<string, Table>();
  readonly functions = new Map<string, Fn>();
  readonly permissions = new Map<string, { Permission: string; SecurityRule?: string }>();

  constructor(readonly envId: string) {}

  writes(): Request[] {
    return this.requests.filter((r) => WRITES.test(r.action));
  }

  /** Replaces manager-node's `fetch(url, config, proxy)`. */
  fetch = async (url: string, config: { headers: Record<string, string>; body?: string }) => {
    const request = {
      host: new URL(url).host,
      action: config.headers['X-TC-Action'],
      body: JSON.parse(config.body ?? '{}') as Record<string, any>,
    };
    this.requests.push(request);
    return { Response: { RequestId: `req-${this.requests.length}`, ...this.answer(request) } };
  };

  private answer({ action, body }: Request): Record<string, unknown> {
    switch (action) {
      case 'DescribeEnvInfo':
        if (body.EnvId !== this.envId) {
          return { Error: { Code: 'ResourceNotFound', Message: `env ${body.EnvId} not found` } };
        }
        return {
          EnvInfo: {
            EnvBaseInfo: {
              EnvId: this.envId,
              Databases: [{ InstanceId: 'tnt-test' }],
              Storages: [{ Bucket: '7465-test-1300000000', Region: 'ap-shanghai' }],
              Functions: [{ Namespace: this.envId }],
              LogServices: [],
            },
          },
        };
      case 'ListTables':
        return {
          Tables: [...this.tables.keys()].map((TableName) => ({ TableName })),
          Pager: { Offset: 0, Limit: body.MgoLimit, Total: this.tables.size },
        };
      case 'CreateTable':
        this.tables.set(body.TableName, {
          indexes: [{ Name: '_id_', Keys: [{ Name: '_id', Direction: '1' }], Unique: true }],
        });
        this.permissions.set(`collection:${body.TableName}`, { Permission: 'PRIVATE' });
        return {};
      case 'DescribeTable': {
        const table = this.tables.get(body.TableName);
        if (!table) return { Error: { Code: 'ResourceNotFound', Message: 'no such table' } };
        return { Indexes: table.indexes, IndexNum: table.indexes.length };
      }
      case 'UpdateTable': {
        const table = this.tables.get(body.TableName) as Table;
        for (const index of body.CreateIndexes ?? []) {
          table.indexes.push({
            Name: index.IndexName,
            Keys: index.MgoKeySchema.MgoIndexKeys,
            Unique: index.MgoKeySchema.MgoIsUnique,
          });
        }
        return {};
      }
      case 'DescribeResourcePermission': {
        const list = [...this.permissions.entries()]
          .map(([key, p]) => {
            const [ResourceType, Resource] = key.split(':');
            return { ResourceType, Resource, ...p };
          })
          .filter(
            (p) =>
              p.ResourceType === body.ResourceType &&
              (!body.Resources || body.Resources.includes(p.Resource)),
          );
        return { Data: { TotalCount: list.length, PermissionList: list } };
      }
      case 'ModifyResourcePermission':
        this.permissions.set(`${body.ResourceType}:${body.Resource ?? ''}`, {
          Permission: body.Permission,
          SecurityRule: body.SecurityRule,
        });
        return { Data: { Success: true } };
      case 'ListFunctions':
        return {
          Functions: [...this.functions.entries()].map(([FunctionName, fn]) => ({
            FunctionName,
            Runtime: fn.Runtime,
            Status: 'Active',
          })),
        };
      case 'CreateFunction':
        this.functions.set(body.FunctionName, {
          Runtime: body.Runtime,
          Timeout: body.Timeout,
          MemorySize: body.MemorySize,
          Variables: body.Environment?.Variables ?? [],
          Triggers: [],
          files: zipEntries(Buffer.from(body.Code.ZipFile, 'base64')),
        });
        return {};
      case 'GetFunction': {
        const fn = this.functions.get(body.FunctionName);
        if (!fn) return { Error: { Code: 'ResourceNotFound.Function', Message: 'no function' } };
        return {
          FunctionName: body.FunctionName,
          Status: 'Active',
          Runtime: fn.Runtime,
          Timeout: fn.Timeout,
          MemorySize: fn.MemorySize,
          Environment: { Variables: fn.Variables },
          Triggers: fn.Triggers,
        };
      }
      case 'BatchCreateTrigger': {
        const fn = this.functions.get(body.FunctionName) as Fn;
        fn.Triggers.push(...(JSON.parse(body.Triggers) as Fn['Triggers']));
        return {};
      }
      default:
        throw new Error(`the management API stand-in does not know ${action}`);
    }
  }
}

/** The file names in a zip archive, from its central directory. */
export function zipEntries(zip: Buffer): string[] {
  const end = zip.lastIndexOf(Buffer.from([0x50, 0x4b, 0x05, 0x06]));
  const count = zip.readUInt16LE(end + 10);
  const names: string[] = [];
  for (let at = zip.readUInt32LE(end + 16), i = 0; i < count; i += 1) {
    const nameLength = zip.readUInt16LE(at + 28);
    const rest = nameLength + zip.readUInt16LE(at + 30) + zip.readUInt16LE(at + 32);
    names.push(zip.subarray(at + 46, at + 46 + nameLength).toString('utf8'));
    at += 46 + rest;
  }
  return names;
}
