/**
 * WXSS → CSS for the preview's phone frame. Pure (no DOM): the browser runtime runs it when a page
 * or component registers (that is when its class prefix is known), and jest tests it.
 *
 * What it translates, as WeChat's own style compiler (wcsc) and base library do:
 * - `rpx` → `px` at the frame's width (750rpx = the window width), rounded down like the base
 *   library's transformRPX; a non-zero value that rounds to 0 becomes a hairline (0.5px, as on
 *   an iPhone).
 * - Tag selectors of built-in components (`view`, `button`, `image`…) → the elements the preview
 *   renders (`wx-view`, `wx-button`…); `page` → `wx-page`, the root the preview wraps each page in.
 * - Class selectors → the component's scope: `.card` → `.<prefix>--card`, the class names
 *   exparser writes for a component with that class prefix. An empty prefix is the global scope
 *   (pages, and components that share styles with their page).
 * - `:host` → the component's own element.
 * - `env()` / `constant()` safe-area insets → the frame's insets (the home indicator).
 * - Width media queries → decided against the frame's width, not the browser window's.
 *
 * `@keyframes` selectors (`0%`, `from`) are left alone; `@media`/`@supports` blocks are translated
 * inside. Anything the parser does not understand passes through unchanged.
 */

/** Built-in components (the base library's list) and the element the preview renders each as. */
export const BUILTIN_TAGS: readonly string[] = [
  'cover-image',
  'cover-view',
  'grid-view',
  'list-view',
  'match-media',
  'movable-area',
  'movable-view',
  'page-container',
  'root-portal',
  'scroll-view',
  'share-element',
  'sticky-header',
  'sticky-section',
  'swiper',
  'swiper-item',
  'view',
  'icon',
  'progress',
  'rich-text',
  'text',
  'button',
  'checkbox',
  'checkbox-group',
  'editor',
  'form',
  'input',
  'keyboard-accessory',
  'label',
  'picker',
  'picker-view',
  'picker-view-column',
  'radio',
  'radio-group',
  'slider',
  'switch',
  'textarea',
  'functional-page-navigator',
  'navigator',
  'audio',
  'camera',
  'image',
  'live-player',
  'live-pusher',
  'video',
  'map',
  'canvas',
  'web-view',
  'ad',
  'official-account',
  'open-data',
  'navigation-bar',
  'page-meta',
];

const BUILTIN = new Set(BUILTIN_TAGS);

export interface SafeArea {
  top: number;
  right: number;
  bottom: number;
  left: number;
}

export interface WxssOptions {
  /** the frame's window width in px: 750rpx fill it */
  windowWidth: number;
  /** the scope's class prefix; '' (default) is the global scope */
  classPrefix?: string;
  /** what `:host` becomes (the component's element); defaults to `:host` left as is */
  hostSelector?: string;
  /** env(safe-area-inset-*) values in px (default all 0) */
  safeArea?: Partial<SafeArea>;
  /** what a non-zero rpx value that rounds to 0 becomes (default 0.5, an iPhone's hairline) */
  hairline?: number;
}

/** `value` rpx in px at `windowWidth`, as the base library rounds it. */
export function rpxToPx(value: number, windowWidth: number, hairline = 0.5): number {
  if (value === 0) return 0;
  const px = Math.floor((value / 750) * windowWidth + 0.0001);
  if (px !== 0) return px;
  return value > 0 ? hairline : -hairline;
}

const RPX = /(^|[^\w.-])(-?(?:\d+\.?\d*|\.\d+))rpx\b/gi;

/** Every `<n>rpx` in a value (a declaration, a media query, an inline style) → px. */
export function translateRpx(text: string, windowWidth: number, hairline = 0.5): string {
  return text.replace(
    RPX,
    (_all, before: string, number: string) =>
      `${before}${formatNumber(rpxToPx(Number(number), windowWidth, hairline))}px`,
  );
}

function formatNumber(value: number): string {
  return String(Math.round(value * 1000) / 1000);
}

const SAFE_AREA = /\b(?:env|constant)\(\s*safe-area-inset-(top|right|bottom|left)\s*(?:,[^)]*)?\)/g;

/** Values of declarations: rpx and the safe-area insets. */
export function translateValue(text: string, options: WxssOptions): string {
  const insets: SafeArea = { top: 0, right: 0, bottom: 0, left: 0, ...options.safeArea };
  return translateRpx(text, options.windowWidth, options.hairline).replace(
    SAFE_AREA,
    (_all, side: keyof SafeArea) => `${formatNumber(insets[side])}px`,
  );
}

/**
 * A width media query decided against the frame: each `(min-width: N)` / `(max-width: N)` becomes
 * a feature that is always true (`(min-width: 0px)`) or always false (`(max-width: 0px)`).
 */
export function translateMediaQuery(query: string, options: WxssOptions): string {
  return translateRpx(query, options.windowWidth, options.hairline).replace(
    /\(\s*(min|max)-width\s*:\s*(-?\d*\.?\d+)px\s*\)/gi,
    (_all, kind: string, number: string) => {
      const limit = Number(number);
      const holds =
        kind.toLowerCase() === 'min' ? options.windowWidth >= limit : options.windowWidth <= limit;
      return holds ? '(min-width: 0px)' : '(max-width: 0px)';
    },
  );
}

const IDENT_ASCII = /[\w-]/;
/** A character of a CSS identifier: ASCII word characters, '-', and anything non-ASCII. */
const isIdentChar = (ch: string): boolean => ch.charCodeAt(0) > 0x7f || IDENT_ASCII.test(ch);
const FUNCTIONAL_PSEUDOS_WITH_SELECTORS = new Set(['not', 'is', 'where', 'has', 'matches']);

/** One selector list (`a, b > c`) rewritten for the scope. */
export function translateSelector(selector: string, options: WxssOptions): string {
  const prefix = options.classPrefix ?? '';
  let out = '';
  let i = 0;
  // a type selector may start here: at the start, or after a combinator, a comma or a '('
  let compoundStart = true;

  const readIdent = (): string => {
    let ident = '';
    while (i < selector.length) {
      const ch = selector[i];
      if (ch === '\\') {
        ident += selector.slice(i, i + 2);
        i += 2;
      } else if (isIdentChar(ch)) {
        ident += ch;
        i++;
      } else break;
    }
    return ident;
  };

  /** The text up to the ')' that closes the '(' at i (i is past it on return). */
  const readParenthesised = (): string => {
    let depth = 1;
    const start = i;
    while (i < selector.length && depth > 0) {
      const ch = selector[i];
      if (ch === '(') depth++;
      else if (ch === ')') depth--;
      else if (ch === '"' || ch === "'") {
        const end = selector.indexOf(ch, i + 1);
        i = end < 0 ? selector.length : end;
      }
      i++;
    }
    return selector.slice(start, depth === 0 ? i - 1 : i);
  };

  while (i < selector.length) {
    const ch = selector[i];
    if (ch === '.') {
      i++;
      const name = readIdent();
      out += prefix && name ? `.${prefix}--${name}` : `.${name}`;
      compoundStart = false;
    } else if (ch === '#') {
      i++;
      out += `#${readIdent()}`;
      compoundStart = false;
    } else if (ch === '[') {
      const end = findAttributeEnd(selector, i);
      out += selector.slice(i, end);
      i = end;
      compoundStart = false;
    } else if (ch === ':') {
      const colons = selector[i + 1] === ':' ? '::' : ':';
      i += colons.length;
      const name = readIdent();
      const lower = name.toLowerCase();
      if (colons === ':' && lower === 'host') {
        const host = options.hostSelector ?? ':host';
        if (selector[i] === '(') {
          i++;
          out += `${host}${translateSelector(readParenthesised(), options)}`;
        } else {
          out += host;
        }
      } else if (selector[i] === '(') {
        i++;
        const inner = readParenthesised();
        out += FUNCTIONAL_PSEUDOS_WITH_SELECTORS.has(lower)
          ? `${colons}${name}(${translateSelector(inner, options)})`
          : `${colons}${name}(${inner})`;
      } else {
        out += `${colons}${name}`;
      }
      compoundStart = false;
    } else if (ch === ',' || ch === '>' || ch === '+' || ch === '~' || /\s/.test(ch)) {
      out += ch;
      i++;
      compoundStart = true;
    } else if (ch === '*') {
      out += ch;
      i++;
      compoundStart = false;
    } else if (isIdentChar(ch) || ch === '\\') {
      const name = readIdent();
      const lower = name.toLowerCase();
      if (compoundStart && lower === 'page') out += 'wx-page';
      else if (compoundStart && BUILTIN.has(lower)) out += `wx-${lower}`;
      else out += name;
      compoundStart = false;
    } else {
      out += ch;
      i++;
    }
  }
  return out;
}

function findAttributeEnd(text: string, start: number): number {
  let i = start + 1;
  while (i < text.length && text[i] !== ']') {
    if (text[i] === '"' || text[i] === "'") {
      const end = text.indexOf(text[i], i + 1);
      i = end < 0 ? text.length : end;
    }
    i++;
  }
  return Math.min(i + 1, text.length);
}

/** Removes comments, keeping strings intact. */
export function stripComments(css: string): string {
  let out = '';
  let i = 0;
  while (i < css.length) {
    const ch = css[i];
    if (ch === '/' && css[i + 1] === '*') {
      const end = css.indexOf('*/', i + 2);
      i = end < 0 ? css.length : end + 2;
    } else if (ch === '"' || ch === "'") {
      const end = skipString(css, i);
      out += css.slice(i, end);
      i = end;
    } else {
      out += ch;
      i++;
    }
  }
  return out;
}

function skipString(text: string, start: number): number {
  const quote = text[start];
  let i = start + 1;
  while (i < text.length && text[i] !== quote) {
    if (text[i] === '\\') i++;
    i++;
  }
  return Math.min(i + 1, text.length);
}

/** Index of the '}' that closes the '{' at `open`, skipping strings. */
function findBlockEnd(css: string, open: number): number {
  let depth = 0;
  let i = open;
  while (i < css.length) {
    const ch = css[i];
    if (ch === '"' || ch === "'") {
      i = skipString(css, i);
      continue;
    }
    if (ch === '{') depth++;
    else if (ch === '}') {
      depth--;
      if (depth === 0) return i;
    }
    i++;
  }
  return css.length;
}

/** Index of the next '{' or ';' at this level (outside strings and parentheses). */
function findPreludeEnd(css: string, start: number): number {
  let i = start;
  let parens = 0;
  while (i < css.length) {
    const ch = css[i];
    if (ch === '"' || ch === "'") {
      i = skipString(css, i);
      continue;
    }
    if (ch === '(') parens++;
    else if (ch === ')') parens--;
    else if (parens === 0 && (ch === '{' || ch === ';' || ch === '}')) return i;
    i++;
  }
  return css.length;
}

const NESTED_RULE_AT_RULES = /^@(media|supports|document|layer|container)\b/i;
const KEYFRAMES = /^@(-webkit-|-moz-)?keyframes\b/i;

/** A whole stylesheet translated; see the file comment. */
export function translateWxss(source: string, options: WxssOptions): string {
  return translateRules(stripComments(source), options, false).trim();
}

function translateRules(css: string, options: WxssOptions, inKeyframes: boolean): string {
  let out = '';
  let i = 0;
  while (i < css.length) {
    while (i < css.length && /\s/.test(css[i])) i++;
    if (i >= css.length) break;
    const end = findPreludeEnd(css, i);
    const prelude = css.slice(i, end).trim();
    if (end >= css.length || css[end] === ';' || css[end] === '}') {
      // a statement at-rule (@charset, an unresolved @import) or stray text: keep it
      if (prelude) out += `${prelude};\n`;
      i = end + 1;
      continue;
    }
    const close = findBlockEnd(css, end);
    const body = css.slice(end + 1, close);
    i = close + 1;
    if (NESTED_RULE_AT_RULES.test(prelude)) {
      const header = /^@media\b/i.test(prelude) ? translateMediaQuery(prelude, options) : prelude;
      out += `${header} {\n${translateRules(body, options, false)}}\n`;
    } else if (KEYFRAMES.test(prelude)) {
      out += `${prelude} {\n${translateRules(body, options, true)}}\n`;
    } else if (prelude.startsWith('@') || inKeyframes) {
      out += `${prelude} {${translateValue(body, options)}}\n`;
    } else {
      out += `${translateSelector(prelude, options)} {${translateValue(body, options)}}\n`;
    }
  }
  return out;
}
