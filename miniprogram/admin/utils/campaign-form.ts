/**
 * 活动编辑器的表单 (operator studio, issue 9): the campaign config as the steps of
 * campaign-steps.ts, every field with its label and hint, and the server's problems and warnings
 * placed beside the field they concern. Pure: the editor page keeps the config being edited and
 * renders `stepView`; `setField` turns what a control gave into the config's value, and the list
 * and map operations add, remove and move their items and rows.
 *
 * The config is edited as loose JSON (it may be invalid while a person types); the server
 * validates it in full on every save and answers each problem at its path
 * (`config.lottery.prizes.2.stock`), in Chinese. A problem is shown at the field with that path
 * (a map's row: `reminders.inviteProgress.fields.thing1`), or else at the nearest list, item or
 * group shown around it (`lottery.prizes` for "须有且只有一个兜底奖品"), or else at the top of its
 * step.
 */
import type { CampaignWarning, ValidationIssue } from '../../../cloudfunctions/_shared/contracts';
import { formatFen } from '../../utils/format';
import { getAt, isRecord, parsePath, setAt, type Loose } from './config-paths';
import {
  STEPS,
  isGroup,
  isList,
  type BlockSpec,
  type FieldSpec,
  type FieldType,
  type ListSpec,
  type Option,
} from './campaign-steps';

export { getAt, parsePath, setAt, type Loose, type Path } from './config-paths';
export {
  SIMULATE_STEP,
  STEPS,
  couponTypeOf,
  type FieldSpec,
  type FieldType,
  type ListSpec,
  type Option,
  type StepSpec,
} from './campaign-steps';

const items = (value: unknown): Loose[] => (Array.isArray(value) ? value : []);

// ---------------------------------------------------------------------------------------------
// Values: what a control shows, and what it gives back

const SHANGHAI_OFFSET_MS = 8 * 3600 * 1000;
const pad2 = (n: number) => (n < 10 ? `0${n}` : String(n));

/** The Shanghai date and time pickers' values of an instant ('' when it cannot be read). */
export function pickerParts(iso: unknown): { date: string; time: string } {
  const ms = typeof iso === 'string' ? Date.parse(iso) : NaN;
  if (!Number.isFinite(ms)) return { date: '', time: '' };
  const d = new Date(ms + SHANGHAI_OFFSET_MS);
  return {
    date: `${d.getUTCFullYear()}-${pad2(d.getUTCMonth() + 1)}-${pad2(d.getUTCDate())}`,
    time: `${pad2(d.getUTCHours())}:${pad2(d.getUTCMinutes())}`,
  };
}

/** A date and a time read in Shanghai, as the config's instant. */
export function instantOf(date: string, time: string): string {
  return `${date}T${time || '00:00'}:00+08:00`;
}

/** What a text control gives, as the config's value for a field of `type`. */
export function parseValue(type: FieldType, raw: string, optional = false): unknown {
  const text = raw.trim();
  if (text === '') {
    if (type === 'stock') return null; // an empty stock is unlimited
    return optional ? undefined : '';
  }
  if (type === 'int' || type === 'fen' || type === 'stock' || type === 'rate') {
    const n = Number(text);
    // what is not a number goes as typed: the server names the problem beside the field
    return Number.isFinite(n) ? n : text;
  }
  return raw;
}

/** The config's value of what a control of `type` gave (`undefined` removes it). */
function valueOf(
  type: FieldType,
  raw: string,
  spec: FieldSpec | undefined,
  config: Loose,
): unknown {
  switch (type) {
    case 'select':
      return raw === '' && spec?.optional ? undefined : raw;
    case 'datetime':
      return raw;
    case 'switch':
      return raw === 'true';
    case 'section':
      return raw === 'on' ? (spec?.make?.(config) ?? {}) : undefined;
    default:
      return parseValue(type, raw, spec?.optional);
  }
}

/**
 * Sets the field at `path` (dotted) from a control's value (`'true'`/`'false'` for a switch,
 * `'on'`/`'off'` for a section), keeping the config coherent where a choice decides other fields
 * (a coupon prize needs a template, a discount has no amount, a right without a quota no period…).
 */
export function setField(config: Loose, dottedPath: string, type: FieldType, raw: string): void {
  const path = parsePath(dottedPath);
  const parentOf = () => getAt(config, path.slice(0, -1)) ?? {};
  const spec = fieldSpecAt(dottedPath, config);
  if (spec?.write) spec.write(parentOf(), raw, config);
  else setAt(config, path, valueOf(type, raw, spec, config));
  spec?.then?.(parentOf(), config);
}

/** Makes prize `index` the fallback (兜底): the only one, with unlimited stock. */
export function setFallback(config: Loose, index: number): void {
  items(config.lottery?.prizes).forEach((prize, i) => {
    prize.fallback = i === index;
    if (i === index) prize.stock = null;
  });
}

// ---------------------------------------------------------------------------------------------
// Lists (prizes, rights, ladders…) and maps (a template's fields)

function listSpec(list: string): ListSpec | undefined {
  return STEPS.flatMap((s) => s.blocks).find((b): b is ListSpec => isList(b) && b.list === list);
}

/** Adds an item to a list (`lottery.prizes`…). */
export function addItem(config: Loose, list: string): void {
  const spec = listSpec(list);
  if (!spec) return;
  const path = parsePath(list);
  setAt(config, path, [...items(getAt(config, path)), spec.newItem(config)]);
}

export function removeItem(config: Loose, list: string, index: number): void {
  setAt(config, [...parsePath(list), index], undefined);
}

/** Moves item `index` one place up (-1) or down (+1). */
export function moveItem(config: Loose, list: string, index: number, by: -1 | 1): void {
  const listed = getAt(config, parsePath(list));
  if (!Array.isArray(listed) || !listed[index] || !listed[index + by]) return;
  [listed[index], listed[index + by]] = [listed[index + by], listed[index]];
}

function mapAt(config: Loose, mapPath: string): Loose {
  const map = getAt(config, parsePath(mapPath));
  if (isRecord(map)) return map;
  const made = {};
  setAt(config, parsePath(mapPath), made);
  return made;
}

/** A map's row value (the key is a template's field, never a path: it is not split on dots). */
export function setMapValue(config: Loose, mapPath: string, key: string, value: string): void {
  mapAt(config, mapPath)[key] = value;
}

/**
 * Renames a row in place (the rows keep their order). Answers why not, when the new name is empty
 * or another row's: an object cannot hold two rows of one name, so that is refused here rather
 * than losing a row.
 */
export function renameMapKey(config: Loose, mapPath: string, from: string, to: string): string {
  const name = to.trim();
  const map = mapAt(config, mapPath);
  if (name === from) return '';
  if (name === '') return '字段名不能为空';
  if (Object.prototype.hasOwnProperty.call(map, name)) return `已有字段 ${name}，换一个字段名`;
  const rows = Object.keys(map).map((key) => [key === from ? name : key, map[key]] as const);
  for (const key of Object.keys(map)) delete map[key];
  for (const [key, value] of rows) map[key] = value;
  return '';
}

/**
 * Adds a row named like WeChat's template fields (`thing3`): their numbers run across the kinds
 * (thing1, time2, thing3), so the next number after the highest is what a template most likely
 * has next.
 */
export function addMapRow(config: Loose, mapPath: string): void {
  const map = mapAt(config, mapPath);
  const numbers = Object.keys(map).map((key) => Number(/(\d+)$/.exec(key)?.[1] ?? 0));
  let n = Math.max(0, ...numbers) + 1;
  while (Object.prototype.hasOwnProperty.call(map, `thing${n}`)) n++;
  map[`thing${n}`] = '';
}

export function removeMapRow(config: Loose, mapPath: string, key: string): void {
  delete mapAt(config, mapPath)[key];
}

// ---------------------------------------------------------------------------------------------
// Where problems and warnings go

/**
 * The spec of the field at `path`: list items' fields by their index-free shape, a map's rows by
 * their map's. Where two specs share a field, shown by turns (a coupon's audience: free text, or a
 * growth tag once it is a variant), the one shown in `config` as it is.
 */
export function fieldSpecAt(dottedPath: string, config?: Loose): FieldSpec | undefined {
  const specs: FieldSpec[] = [];
  for (const step of STEPS) {
    for (const block of step.blocks) {
      if (isGroup(block)) continue;
      if (isList(block)) {
        const prefix = `${block.list}.`;
        if (!dottedPath.startsWith(prefix)) continue;
        const rest = dottedPath.slice(prefix.length).replace(/^\d+\./, '');
        specs.push(...block.fields.filter((f) => f.key === rest));
      } else if (
        block.key === dottedPath ||
        (block.type === 'map' && dottedPath.startsWith(`${block.key}.`))
      ) {
        specs.push(block);
      }
    }
  }
  if (specs.length < 2 || !config) return specs[0];
  const parent = getAt(config, parsePath(dottedPath).slice(0, -1));
  return specs.find((spec) => isShown(spec, isRecord(parent) ? parent : {}, config)) ?? specs[0];
}

/** The step a config path belongs to (by its top-level key). */
export function stepOf(dottedPath: string): number {
  const top = dottedPath.split('.')[0];
  const index = STEPS.findIndex((step) => step.owns.includes(top));
  return index >= 0 ? index : 0;
}

/** The object that holds a top-level field (`invite.velocity` for `invite.velocity.maxVerified`). */
const parentIn = (config: Loose, key: string): Loose => {
  const parent = getAt(config, parsePath(key).slice(0, -1));
  return isRecord(parent) ? parent : {};
};

const isShown = (spec: FieldSpec, parent: Loose, config: Loose) =>
  !spec.shown || spec.shown(parent, config);

/** Every place a message can be shown, for the config as it is: fields, rows, lists, items, groups. */
export function anchorsOf(config: Loose): Set<string> {
  const anchors = new Set<string>();
  const addField = (spec: FieldSpec, path: string) => {
    anchors.add(path);
    if (spec.type !== 'map') return;
    const map = getAt(config, parsePath(path));
    if (isRecord(map)) Object.keys(map).forEach((key) => anchors.add(`${path}.${key}`));
  };
  for (const step of STEPS) {
    for (const block of step.blocks) {
      if (isGroup(block)) anchors.add(block.group);
      else if (isList(block)) {
        anchors.add(block.list);
        items(getAt(config, parsePath(block.list))).forEach((item, index) => {
          anchors.add(`${block.list}.${index}`);
          for (const field of block.fields) {
            if (isShown(field, item, config))
              addField(field, `${block.list}.${index}.${field.key}`);
          }
        });
      } else if (isShown(block, parentIn(config, block.key), config)) {
        addField(block, block.key);
      }
    }
  }
  return anchors;
}

/** Where a message about `field` is shown: the field itself, or what is shown around it. */
export function anchorFor(field: string, anchors: Set<string>): string {
  for (let path = field; path; path = path.slice(0, Math.max(0, path.lastIndexOf('.')))) {
    if (anchors.has(path)) return path;
    if (!path.includes('.')) break;
  }
  return '';
}

export interface Notes {
  /** anchor (dotted path, '' = the top of its step) → messages */
  problems: Record<string, string[]>;
  warnings: Record<string, string[]>;
  /** how many problems each step has (the step indicator's dots) */
  perStep: number[];
}

/** The server's issues (`config.…`) and a save's warnings, placed for this config. */
export function placeNotes(
  config: Loose,
  issues: ValidationIssue[],
  warnings: CampaignWarning[] = [],
): Notes {
  const anchors = anchorsOf(config);
  const notes: Notes = { problems: {}, warnings: {}, perStep: STEPS.map(() => 0) };
  const add = (into: Record<string, string[]>, field: string, message: string) => {
    const anchor = anchorFor(field, anchors);
    const key = anchor || `step:${stepOf(field)}`;
    const messages = (into[key] ??= []);
    if (!messages.includes(message)) messages.push(message);
  };
  for (const issue of issues) {
    const field = issue.path === 'config' ? '' : issue.path.replace(/^config\./, '');
    add(notes.problems, field, issue.message);
    notes.perStep[stepOf(field)] += 1;
  }
  for (const warning of warnings) add(notes.warnings, warning.field, warning.message);
  return notes;
}

// ---------------------------------------------------------------------------------------------
// What the page renders

/** A path as a class name (`lottery-prizes-0-stock`): tests and styles find a field by it. */
export const slugOf = (path: string) => path.replace(/[^A-Za-z0-9_-]/g, '-');

/** One row of a map: a template's field and what it shows. */
export interface RowView {
  key: string;
  value: string;
  path: string;
  slug: string;
  /** where this row sits in the page's data */
  view: string;
  error: string;
}

export interface FieldView {
  path: string;
  slug: string;
  /** where this field sits in the page's data (`view.blocks[3].items[0].fields[2]`) */
  view: string;
  label: string;
  hint: string;
  type: FieldType;
  inline: boolean;
  placeholder: string;
  /** text controls: the value as text */
  value: string;
  /** datetime */
  date: string;
  time: string;
  /** select-like: the labels and the chosen one */
  labels: string[];
  values: string[];
  optionIndex: number;
  chosen: string;
  /** switch and section: on or off */
  on: boolean;
  /** map: its rows, and whether one may go (a template has at least one field) */
  rows: RowView[];
  canRemoveRow: boolean;
  /** a figure beside the control: `= ¥5`, `约 0.44%` */
  extra: string;
  error: string;
  warning: string;
}

export interface ItemView {
  index: number;
  path: string;
  title: string;
  fallback: boolean;
  canUp: boolean;
  canDown: boolean;
  error: string;
  warning: string;
  fields: FieldView[];
}

export type BlockView =
  | ({ kind: 'field' } & FieldView)
  | { kind: 'group'; path: string; label: string; hint: string; error: string; warning: string }
  | {
      kind: 'list';
      path: string;
      slug: string;
      label: string;
      hint: string;
      error: string;
      warning: string;
      items: ItemView[];
      canAdd: boolean;
      canRemove: boolean;
      ordered: boolean;
      prizes: boolean;
    };

export interface StepView {
  title: string;
  intro: string;
  error: string;
  blocks: BlockView[];
}

const joined = (messages: string[] | undefined) => (messages ?? []).join('；');

function optionsOf(spec: FieldSpec, config: Loose, parent: Loose): Option[] {
  return typeof spec.options === 'function' ? spec.options(config, parent) : (spec.options ?? []);
}

function fieldView(
  spec: FieldSpec,
  path: string,
  parent: Loose,
  config: Loose,
  notes: Notes,
): FieldView {
  const value = getAt(config, parsePath(path));
  const text =
    value === null || value === undefined || typeof value === 'object' ? '' : String(value);
  const options = optionsOf(spec, config, parent);
  const chosenValue = spec.read ? spec.read(parent) : text;
  const optionIndex = options.findIndex((o) => o.value === chosenValue);
  const { date, time } = spec.type === 'datetime' ? pickerParts(value) : { date: '', time: '' };
  const rows =
    spec.type === 'map' && isRecord(value)
      ? Object.keys(value).map((key) => ({
          key,
          value: typeof value[key] === 'string' ? value[key] : String(value[key] ?? ''),
          path: `${path}.${key}`,
          slug: slugOf(`${path}.${key}`),
          view: '',
          error: joined(notes.problems[`${path}.${key}`]),
        }))
      : [];
  return {
    path,
    slug: slugOf(path),
    view: '',
    label: spec.label,
    hint: spec.hint,
    type: spec.type,
    inline: spec.inline === true,
    placeholder: spec.placeholder ?? (spec.optional ? '选填' : ''),
    value: text,
    date,
    time,
    labels: options.map((o) => o.label),
    values: options.map((o) => o.value),
    optionIndex: Math.max(0, optionIndex),
    chosen:
      optionIndex >= 0 ? options[optionIndex].label : chosenValue ? `（${chosenValue}）` : '请选择',
    on: spec.type === 'section' ? isRecord(value) : value === true,
    rows,
    canRemoveRow: rows.length > 1,
    extra: spec.extra ? spec.extra(value, parent, config) : extraOf(spec.type, value),
    error: joined(notes.problems[path]),
    warning: joined(notes.warnings[path]),
  };
}

function extraOf(type: FieldType, value: unknown): string {
  if (type === 'fen' && typeof value === 'number') return `= ${formatFen(value)}`;
  if (type === 'rate' && typeof value === 'number') return `${Math.round(value * 100) / 10} 折`;
  // a stored file shows by its name (`hero.svg`); this visit's upload shows itself
  if (type === 'image' && typeof value === 'string') return value.split('/').pop() ?? '';
  return '';
}

function blockView(block: BlockSpec, config: Loose, notes: Notes): BlockView | undefined {
  const notesAt = (path: string) => ({
    error: joined(notes.problems[path]),
    warning: joined(notes.warnings[path]),
  });
  if (isGroup(block)) {
    return {
      kind: 'group',
      path: block.group,
      label: block.label ?? '',
      hint: block.hint ?? '',
      ...notesAt(block.group),
    };
  }
  if (isList(block)) {
    const listed = items(getAt(config, parsePath(block.list)));
    return {
      kind: 'list',
      path: block.list,
      slug: slugOf(block.list),
      label: block.label,
      hint: block.hint,
      ...notesAt(block.list),
      canAdd: listed.length < block.max,
      canRemove: listed.length > block.min,
      ordered: block.ordered === true,
      prizes: block.list === 'lottery.prizes',
      items: listed.map((item, i) => {
        const path = `${block.list}.${i}`;
        return {
          index: i,
          path,
          title: block.itemName(item, i, config),
          fallback: item?.fallback === true,
          canUp: block.ordered === true && i > 0,
          canDown: block.ordered === true && i < listed.length - 1,
          ...notesAt(path),
          fields: block.fields
            .filter((f) => isShown(f, item, config))
            .map((f) => fieldView(f, `${path}.${f.key}`, item, config, notes)),
        };
      }),
    };
  }
  const parent = parentIn(config, block.key);
  if (!isShown(block, parent, config)) return undefined;
  return { kind: 'field', ...fieldView(block, block.key, parent, config, notes) };
}

/** Where each field and row sits in the page's data, so typing can clear its message in place. */
function locate(field: FieldView, view: string): void {
  field.view = view;
  field.rows.forEach((row, r) => {
    row.view = `${view}.rows[${r}]`;
  });
}

export function stepView(index: number, config: Loose, notes: Notes): StepView {
  const step = STEPS[index];
  const blocks = step.blocks
    .map((block) => blockView(block, config, notes))
    .filter((block): block is BlockView => block !== undefined);
  blocks.forEach((block, b) => {
    if (block.kind === 'field') locate(block, `view.blocks[${b}]`);
    if (block.kind === 'list') {
      block.items.forEach((item, i) =>
        item.fields.forEach((field, f) =>
          locate(field, `view.blocks[${b}].items[${i}].fields[${f}]`),
        ),
      );
    }
  });
  return {
    title: step.title,
    intro: step.intro,
    error: joined(notes.problems[`step:${index}`]),
    blocks,
  };
}
