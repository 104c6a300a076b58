/**
 * The wire format of the database service: `@cloudbase/database` sends queries, updates and
 * documents as canonical Extended JSON and parses what comes back with its bson's `EJSON.parse`.
 *
 * Every request of every invocation crosses this twice, so both ways have a direct path:
 * - in: `JSON.parse` and one walk that turns the type wrappers the library writes (`$numberInt`,
 *   `$numberDouble`, `$numberLong`, `$date`, `$oid`, `$regularExpression`) into the plain values
 *   the store keeps; text holding any other wrapper goes through the library's own bson;
 * - out: JSON with numbers as numbers (EJSON's relaxed form, which `EJSON.parse` reads back to
 *   the same values) and dates, regular expressions and the numbers JSON cannot hold wrapped;
 *   a document holding anything else (binary data) goes through the library's stringify.
 * test/emulator/fast-paths.test.ts holds both to the library's answers.
 */
import { parseByEJSON, stringifyByEJSON } from '@cloudbase/database/dist/commonjs/utils/utils';
import { isDate, isPlainObject, isRegExp } from './store';

type Plain = Record<string, unknown>;

interface BsonValue {
  _bsontype?: string;
  pattern?: string;
  options?: string;
  toHexString?: () => string;
  toNumber?: () => number;
  toString(): string;
  buffer?: Uint8Array;
}

/** JavaScript has no x (extended) or l (locale) flag. */
function regExpOf(pattern: string, options: string): RegExp {
  return new RegExp(pattern, options.replace(/[^imsu]/g, ''));
}

/** `db.serverDate({ offset })`: the server's current time when the request runs. */
function serverDateOf(marker: unknown, nowMs: number): Date | undefined {
  if (!isPlainObject(marker)) return undefined;
  return new Date(nowMs + (typeof marker.offset === 'number' ? marker.offset : 0));
}

/**
 * Turns what bson's EJSON.parse made into the plain values the store keeps: numbers, strings,
 * Dates, RegExps, arrays and objects; `db.serverDate()` markers become the server's current time.
 */
function fromWire(value: unknown, nowMs: number): unknown {
  if (Array.isArray(value)) return value.map((v) => fromWire(v, nowMs));
  if (value === null || typeof value !== 'object' || isDate(value)) return value;
  const bsonValue = value as BsonValue;
  switch (bsonValue._bsontype) {
    case 'BSONRegExp':
      return regExpOf(bsonValue.pattern ?? '', bsonValue.options ?? '');
    case 'ObjectID':
    case 'ObjectId':
      return bsonValue.toHexString ? bsonValue.toHexString() : String(value);
    case 'Long':
      return bsonValue.toNumber ? bsonValue.toNumber() : Number(bsonValue.toString());
    case 'Int32':
    case 'Double':
    case 'Decimal128':
      return Number(bsonValue.toString());
    case 'Binary':
      return Buffer.from(bsonValue.buffer ?? []);
    default:
      break;
  }
  if (!isPlainObject(value)) return value;
  if (Object.keys(value).length === 1 && '$tcb_server_date' in value) {
    const date = serverDateOf(value.$tcb_server_date, nowMs);
    if (date) return date;
  }
  const out: Plain = {};
  for (const [k, v] of Object.entries(value)) if (v !== undefined) out[k] = fromWire(v, nowMs);
  return out;
}

/** Wrappers the direct path does not read: text holding one goes through the library's bson. */
const OTHER_WRAPPERS = new Set(
  'binary timestamp minKey maxKey symbol code scope dbPointer uuid numberDecimal regex options undefined'
    .split(' ')
    .map((name) => `$${name}`),
);

/** Thrown by `decode` when it meets a wrapper it does not read. */
class OtherWrapper extends Error {}

/** The plain values of a JSON.parse result, wrappers unwrapped (in place: the result is ours). */
function decode(value: unknown, nowMs: number): unknown {
  if (value === null || typeof value !== 'object') return value;
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) value[i] = decode(value[i], nowMs);
    return value;
  }
  const object = value as Plain;
  const keys = Object.keys(object);
  for (const key of keys)
    if (key.startsWith('$') && OTHER_WRAPPERS.has(key)) throw new OtherWrapper();
  if (keys.length === 1 && keys[0].startsWith('$')) {
    const inner = object[keys[0]];
    switch (keys[0]) {
      case '$numberInt':
      case '$numberDouble':
      case '$numberLong':
        if (typeof inner === 'string') return Number(inner);
        break;
      case '$date': {
        const at = isPlainObject(inner) ? Number(inner.$numberLong) : inner;
        if (typeof at === 'number' || typeof at === 'string') return new Date(at);
        break;
      }
      case '$oid':
        if (typeof inner === 'string') return inner;
        break;
      case '$regularExpression':
        if (isPlainObject(inner) && typeof inner.pattern === 'string') {
          return regExpOf(inner.pattern, typeof inner.options === 'string' ? inner.options : '');
        }
        break;
      case '$tcb_server_date': {
        const date = serverDateOf(decode(inner, nowMs), nowMs);
        if (date) return date;
        break;
      }
      default:
        break;
    }
  }
  for (const key of keys) object[key] = decode(object[key], nowMs);
  return object;
}

/** A request's EJSON text (or an already parsed value) as the plain values the store keeps. */
export function parseWire(text: unknown, nowMs: number): unknown {
  if (text === undefined || text === null || text === '') return undefined;
  if (typeof text !== 'string') return fromWire(text, nowMs);
  try {
    return decode(JSON.parse(text), nowMs);
  } catch (error) {
    if (!(error instanceof OtherWrapper)) throw error;
    return fromWire(parseByEJSON(text) as unknown, nowMs);
  }
}

/** Field names as JSON: the same few names in every document. */
const quotedKeys = new Map<string, string>();

function quotedKey(key: string): string {
  let quoted = quotedKeys.get(key);
  if (quoted === undefined) {
    quoted = JSON.stringify(key);
    if (quotedKeys.size < 10_000) quotedKeys.set(key, quoted);
  }
  return quoted;
}

/** A stored value as EJSON text the library parses back to the same value, or null if it cannot. */
function encode(value: unknown): string | null {
  switch (typeof value) {
    case 'string':
      return JSON.stringify(value);
    case 'boolean':
      return value ? 'true' : 'false';
    case 'number':
      // String(-0) is "0": the library writes -0 as 0 too
      return Number.isFinite(value) ? String(value) : `{"$numberDouble":"${String(value)}"}`;
    case 'object': {
      if (value === null) return 'null';
      if (Array.isArray(value)) {
        const items: string[] = [];
        for (const item of value) {
          // as the library's stringify (JSON) writes an undefined element
          const text = item === undefined ? 'null' : encode(item);
          if (text === null) return null;
          items.push(text);
        }
        return `[${items.join(',')}]`;
      }
      if (isDate(value)) {
        const ms = value.getTime();
        return Number.isNaN(ms) ? null : `{"$date":{"$numberLong":"${ms}"}}`;
      }
      if (isRegExp(value)) {
        const options = value.flags.split('').sort().join('');
        return `{"$regularExpression":{"pattern":${JSON.stringify(value.source)},"options":"${options}"}}`;
      }
      if (!isPlainObject(value)) return null;
      const fields: string[] = [];
      for (const [key, field] of Object.entries(value)) {
        if (field === undefined) continue;
        const text = encode(field);
        if (text === null) return null;
        fields.push(`${quotedKey(key)}:${text}`);
      }
      return `{${fields.join(',')}}`;
    }
    default:
      return null;
  }
}

/** A stored document as the EJSON text a response carries. */
export function toWire(doc: unknown): string {
  return encode(doc) ?? (stringifyByEJSON(doc) as string);
}

/** The library's parse and the walk above: what the direct path is held to (tests). */
export function fromWireAsBefore(parsed: unknown, nowMs = 0): unknown {
  return fromWire(parsed, nowMs);
}
