/**
 * The collections, their indexes and their security rule, as cloudbaserc.json `growthKit.database`
 * declares them (the emulator enforces the same declaration). manager-node calls used:
 * - `database.listCollections` (ListTables, paged): which collections exist;
 * - `database.createCollection` (CreateTable) for each missing one;
 * - `database.describeCollection` (DescribeTable): the indexes of an existing collection;
 * - `database.updateCollection` with `CreateIndexes` (UpdateTable): every missing index of a
 *   collection in one request, unique ones with `MgoIsUnique`;
 * - `permission.describeResourcePermission` / `modifyResourcePermission` (ResourceType
 *   `collection`, CUSTOM): the rule `{ "read": false, "write": false }` on every collection.
 *
 * An index that exists under a declared name with other keys is not dropped: that could remove a
 * unique constraint the code relies on while documents are written. Deploy stops and says so.
 */
import type { CreateIndex, IndexInfo } from '@cloudbase/manager-node/types/interfaces';
import type { DeclaredCollection, DeclaredIndex } from '../../emulator/config';
import { sameJson, type Manager } from './cloudbase';
import type { Declaration } from './declaration';
import { change, DeployError, ok, unknown, type PlanItem, type Step } from './plan';

const PAGE = 100;

export function databaseStep(decl: Declaration, manager: () => Manager): Step {
  const { collections, securityRule } = decl.database;
  return {
    part: 'database',
    title: `database: ${collections.length} collections, ${collections.reduce((n, c) => n + c.indexes.length, 0)} indexes, security rules`,
    async plan(connected) {
      if (!connected) {
        return collections.flatMap((c) => [
          unknown(`collection ${c.name}`, `rule ${JSON.stringify(securityRule)}`),
          ...c.indexes.map((index) => unknown(`index ${c.name}.${describeIndex(index)}`)),
        ]);
      }
      const { database } = manager();
      const existing = await listCollectionNames(manager());
      const rules = await currentRules(
        manager(),
        collections.map((c) => c.name).filter((name) => existing.has(name)),
      );
      const items: PlanItem[] = [];
      for (const collection of collections) {
        const exists = existing.has(collection.name);
        items.push(
          exists
            ? ok(`collection ${collection.name}`)
            : change(`collection ${collection.name}`, 'missing → create', async () => {
                await database.createCollection(collection.name);
              }),
        );
        const present = exists
          ? ((await database.describeCollection(collection.name)).Indexes ?? [])
          : [];
        items.push(...planIndexes(manager(), collection, present));
        const what = `rule on ${collection.name}`;
        const rule = rules.get(collection.name);
        items.push(
          rule?.Permission === 'CUSTOM' && sameJson(rule.SecurityRule, securityRule)
            ? ok(what)
            : change(what, JSON.stringify(securityRule), async () => {
                await manager().permission.modifyResourcePermission({
                  resourceType: 'collection',
                  resource: collection.name,
                  permission: 'CUSTOM',
                  securityRule: JSON.stringify(securityRule),
                });
              }),
        );
      }
      return items;
    },
  };
}

function planIndexes(
  manager: Manager,
  collection: DeclaredCollection,
  present: IndexInfo[],
): PlanItem[] {
  const items: PlanItem[] = [];
  const missing: DeclaredIndex[] = [];
  for (const index of collection.indexes) {
    const found = present.find((p) => p.Name === index.name);
    if (!found) {
      missing.push(index);
      continue;
    }
    if (!sameIndex(found, index)) {
      throw new DeployError(
        'database',
        `index ${collection.name}.${index.name} exists with other keys (${JSON.stringify(found.Keys)}, unique ${found.Unique})`,
        `drop it in the CloudBase console (数据库 → ${collection.name} → 索引管理) or give the declared index another name in cloudbaserc.json, then rerun`,
      );
    }
    items.push(ok(`index ${collection.name}.${describeIndex(index)}`));
  }
  if (missing.length > 0) {
    items.push(
      change(
        `index ${missing.map((index) => `${collection.name}.${describeIndex(index)}`).join(', ')}`,
        'missing → create',
        async () => {
          await manager.database.updateCollection(collection.name, {
            CreateIndexes: missing.map(toCreateIndex),
          });
        },
      ),
    );
  }
  return items;
}

function describeIndex(index: DeclaredIndex): string {
  const keys = Object.entries(index.keys)
    .map(([field, direction]) => `${field} ${direction === 1 ? '↑' : '↓'}`)
    .join(', ');
  return `${index.name} (${keys}${index.unique ? ', unique' : ''})`;
}

/** The request shape of one index in UpdateTable: directions are the strings "1" / "-1". */
function toCreateIndex(index: DeclaredIndex): CreateIndex {
  return {
    IndexName: index.name,
    MgoKeySchema: {
      MgoIndexKeys: Object.entries(index.keys).map(([Name, direction]) => ({
        Name,
        Direction: String(direction),
      })),
      MgoIsUnique: index.unique === true,
    },
  };
}

function sameIndex(found: IndexInfo, declared: DeclaredIndex): boolean {
  const keys = Object.entries(declared.keys);
  return (
    Boolean(found.Unique) === (declared.unique === true) &&
    found.Keys.length === keys.length &&
    found.Keys.every(
      (key, i) => key.Name === keys[i][0] && String(key.Direction) === String(keys[i][1]),
    )
  );
}

async function listCollectionNames(manager: Manager): Promise<Set<string>> {
  const names = new Set<string>();
  for (let offset = 0; ; offset += PAGE) {
    const page = await manager.database.listCollections({ MgoLimit: PAGE, MgoOffset: offset });
    for (const c of page.Collections) names.add(c.CollectionName);
    if (page.Collections.length < PAGE || names.size >= (page.Pager?.Total ?? 0)) return names;
  }
}

async function currentRules(manager: Manager, names: string[]) {
  if (names.length === 0) return new Map();
  const res = await manager.permission.describeResourcePermission({
    resourceType: 'collection',
    resources: names,
  });
  return new Map((res.Data?.PermissionList ?? []).map((p) => [p.Resource ?? '', p]));
}
