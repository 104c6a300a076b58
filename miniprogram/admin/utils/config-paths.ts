/**
 * The campaign being edited is loose JSON (it may be anything while a person types): these read
 * and write it by path (`['lottery', 'prizes', 2, 'stock']`, dotted `lottery.prizes.2.stock`, as
 * the server names a problem's field).
 */

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type Loose = Record<string, any>;
export type Path = Array<string | number>;

export function parsePath(dottedPath: string): Path {
  return dottedPath === ''
    ? []
    : dottedPath.split('.').map((part) => (/^\d+$/.test(part) ? Number(part) : part));
}

export function isRecord(value: unknown): value is Loose {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export function getAt(root: unknown, path: Path): any {
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  let node: any = root;
  for (const key of path) {
    if (node === null || typeof node !== 'object') return undefined;
    node = Object.prototype.hasOwnProperty.call(node, key) ? node[key] : undefined;
  }
  return node;
}

/** Sets (or, with `undefined`, removes) the value at `path`, making objects on the way. */
export function setAt(root: Loose, path: Path, value: unknown): void {
  let node: Loose = root;
  for (const [i, key] of path.slice(0, -1).entries()) {
    if (node[key] === null || typeof node[key] !== 'object') {
      node[key] = typeof path[i + 1] === 'number' ? [] : {};
    }
    node = node[key];
  }
  const last = path[path.length - 1];
  if (value === undefined) {
    if (Array.isArray(node) && typeof last === 'number') (node as unknown[]).splice(last, 1);
    else delete (node as Loose)[last];
  } else {
    node[last] = value;
  }
}
