/**
 * 订阅消息: what a reminder says. The campaign maps each event to a WeChat template and fills the
 * template's fields from the event's variables (`thing1: '好友已领取，进度 {verified}/{required}'`).
 * WeChat refuses a field that breaks its keyword's rule (47003); values are cut to the documented
 * lengths here so a long coupon title never costs a reminder.
 */
// The events' names and variables are stated with the editor that offers them (the Mini Program
// ships only what is under miniprogram/).
export {
  REMINDER_NAMES,
  REMINDER_VARIABLES,
} from '../../../miniprogram/admin/utils/reminder-events';

/**
 * Longest value per template keyword kind (微信订阅消息 "参数值内容限制"): `thing` 20 characters,
 * `name` 10, `phrase` 5, `symbol` 5, `character_string`/`letter`/`number` 32, `phone_number` 17,
 * `car_number` 8. Other kinds (time, date, amount) are formatted values already.
 */
const MAX_CHARS: Record<string, number> = {
  thing: 20,
  name: 10,
  phrase: 5,
  symbol: 5,
  character_string: 32,
  letter: 32,
  number: 32,
  phone_number: 17,
  car_number: 8,
};

/** `thing12` → `thing`. */
export function keywordKind(field: string): string {
  return field.replace(/\d+$/, '');
}

const PLACEHOLDER = /\{([A-Za-z]+)\}/g;

/** The placeholders a field template uses: `'{verified}/{required}'` → verified, required. */
export function placeholdersOf(template: string): string[] {
  return [...template.matchAll(PLACEHOLDER)].map((m) => m[1]);
}

/** The template's `data`: every field filled from `vars`, cut to its kind's length, never empty. */
export function renderReminder(
  fields: Readonly<Record<string, string>>,
  vars: Readonly<Record<string, string | number>>,
): Record<string, { value: string }> {
  const data: Record<string, { value: string }> = {};
  for (const [field, template] of Object.entries(fields)) {
    const filled = template
      .replace(PLACEHOLDER, (_, name: string) =>
        Object.prototype.hasOwnProperty.call(vars, name) ? String(vars[name]) : '',
      )
      .trim();
    const kind = keywordKind(field);
    const max = MAX_CHARS[kind];
    const chars = Array.from(filled || '-');
    // an ellipsis is text: only a thing (free text) may end with one
    const cut =
      kind === 'thing' ? [...chars.slice(0, (max ?? 0) - 1), '…'] : chars.slice(0, max ?? 0);
    data[field] = {
      value: max !== undefined && chars.length > max ? cut.join('') : chars.join(''),
    };
  }
  return data;
}
