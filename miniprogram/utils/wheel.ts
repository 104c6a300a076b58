/**
 * Geometry, colours, easing and drawing of the lottery wheel (大转盘): a Canvas 2D disc of N
 * sectors under a pointer fixed at 12 o'clock.
 *
 * Conventions (those of Canvas 2D): angles in radians, 0 at 3 o'clock, growing clockwise
 * (the y axis points down). Sector 0 starts at the pointer and the sectors follow clockwise.
 * The wheel turns by `rotation` (clockwise, in radians, unbounded: 8 turns = 16π), so the
 * wheel-local angle under the pointer is `-rotation`, measured from sector 0's start.
 */

const TAU = Math.PI * 2;
/** The pointer's angle on screen: 12 o'clock. */
export const POINTER_ANGLE = -Math.PI / 2;
/** How far off a sector's centre the wheel may stop, as a share of a half-sector. */
export const MAX_JITTER = 0.4;

export interface SectorGeometry {
  index: number;
  /** wheel-local angles (before rotation) */
  start: number;
  end: number;
  mid: number;
}

export interface SectorColours {
  fill: string;
  text: string;
}

/** Cream and deep green alternate; an odd count ends on gold so no neighbours share a colour. */
export const SECTOR_PALETTE: readonly SectorColours[] = [
  { fill: '#FBF3E2', text: '#2F5D46' },
  { fill: '#2F5D46', text: '#FBF3E2' },
];
const ODD_SECTOR: SectorColours = { fill: '#E2B55C', text: '#3A2A12' };

function assertSectorCount(sectorCount: number): void {
  if (!Number.isInteger(sectorCount) || sectorCount < 2) {
    throw new RangeError(`a wheel needs an integer number of sectors ≥ 2, got ${sectorCount}`);
  }
}

/** x mod m in [0, m), also for negative x. */
function modulo(x: number, m: number): number {
  return ((x % m) + m) % m;
}

export function sectorAngle(sectorCount: number): number {
  assertSectorCount(sectorCount);
  return TAU / sectorCount;
}

export function sectorAngles(sectorCount: number): SectorGeometry[] {
  const width = sectorAngle(sectorCount);
  return Array.from({ length: sectorCount }, (_, index) => {
    const start = POINTER_ANGLE + index * width;
    return { index, start, end: start + width, mid: start + width / 2 };
  });
}

export function sectorColours(index: number, sectorCount: number): SectorColours {
  assertSectorCount(sectorCount);
  const isOddTail = sectorCount % 2 === 1 && index === sectorCount - 1;
  return isOddTail ? ODD_SECTOR : SECTOR_PALETTE[index % SECTOR_PALETTE.length];
}

/** Which sector sits under the pointer when the wheel is turned by `rotation`. */
export function sectorAtPointer(rotation: number, sectorCount: number): number {
  const width = sectorAngle(sectorCount);
  // floor can reach sectorCount only through rounding at exactly 2π; fold it back to 0
  return Math.floor(modulo(-rotation, TAU) / width) % sectorCount;
}

export interface TargetRotationInput {
  sectorCount: number;
  sectorIndex: number;
  /** where the wheel is now (radians, any value) */
  currentRotation: number;
  /** full turns before landing, for the show (default 6) */
  turns?: number;
  /** offset from the sector's centre, in half-sectors, clamped to ±MAX_JITTER (default 0) */
  jitter?: number;
}

/**
 * The rotation to animate to: forward from `currentRotation`, at least `turns` full turns,
 * stopping with the pointer inside `sectorIndex` and never on its edges.
 */
export function targetRotation({
  sectorCount,
  sectorIndex,
  currentRotation,
  turns = 6,
  jitter = 0,
}: TargetRotationInput): number {
  const width = sectorAngle(sectorCount);
  if (!Number.isInteger(sectorIndex) || sectorIndex < 0 || sectorIndex >= sectorCount) {
    throw new RangeError(`sector ${sectorIndex} is not on a wheel of ${sectorCount}`);
  }
  const offset = Math.min(MAX_JITTER, Math.max(-MAX_JITTER, jitter));
  // the wheel-local angle that must end under the pointer, from sector 0's start
  const local = (sectorIndex + 0.5 + offset / 2) * width;
  const earliest = currentRotation + Math.max(0, Math.floor(turns)) * TAU;
  return earliest + modulo(-local - earliest, TAU);
}

/** Fast start, long gentle stop: what a heavy wheel does. Maps [0, 1] onto [0, 1]. */
export function easeOutQuart(t: number): number {
  const clamped = Math.min(1, Math.max(0, t));
  return 1 - Math.pow(1 - clamped, 4);
}

/** The rotation `elapsedMs` into a spin from `from` to `to` lasting `durationMs`. */
export function rotationAt(
  elapsedMs: number,
  from: number,
  to: number,
  durationMs: number,
): number {
  if (durationMs <= 0) return to;
  return from + (to - from) * easeOutQuart(elapsedMs / durationMs);
}

/** The part of a Canvas 2D context the wheel uses: the Mini Program's and a browser's fit. */
export interface WheelContext {
  /** a colour string here; typed loosely so both platforms' contexts are assignable */
  fillStyle: unknown;
  strokeStyle: unknown;
  lineWidth: number;
  font: string;
  textAlign: string;
  textBaseline: string;
  save(): void;
  restore(): void;
  translate(x: number, y: number): void;
  rotate(angle: number): void;
  beginPath(): void;
  moveTo(x: number, y: number): void;
  arc(x: number, y: number, radius: number, startAngle: number, endAngle: number): void;
  closePath(): void;
  fill(): void;
  stroke(): void;
  clearRect(x: number, y: number, width: number, height: number): void;
  fillText(text: string, x: number, y: number, maxWidth?: number): void;
}

// ---- labels ---------------------------------------------------------------------------------
//
// Every name is written whole: on one line when it fits its sector, else on two or three, at one
// font size for the whole wheel, the largest at which every name fits. Lines run across the
// sector (tangentially) near the rim, and each label is turned so that it reads upright where the
// wheel comes to rest: tops towards the rim in the upper half, towards the hub in the lower half,
// and reading downwards at 3 and 9 o'clock.

/** The rim's share of the side, the hub's share of the radius. */
const RIM_SHARE = 0.03;
const HUB_SHARE = 0.16;
/** The outer edge of the labels, as a share of the radius: clear of the pointer over the rim. */
const LABEL_OUTER = 0.86;
const LINE_HEIGHT = 1.2;
/** The largest and smallest font, as shares of the side (0.048 × 300 px ≈ 14 px). */
const FONT_MAX_SHARE = 0.048;
const FONT_MIN_SHARE = 0.032;
const MAX_LINES = 3;

export interface LabelLayout {
  /** the name, whole, in reading order */
  lines: string[];
  /** the centre of each line from the wheel's centre, in px, outermost first */
  radii: number[];
  /** room across the sector at each line (a hard cap for `fillText`'s maxWidth) */
  maxWidths: number[];
}

export interface WheelLabels {
  fontPx: number;
  labels: LabelLayout[];
}

/**
 * Width in em of a text in a bold sans-serif: a CJK character is 1 em, ASCII about 0.6 (a little
 * more here, to err on the side of room). The same on every platform, so tests see what phones do.
 */
export function textEm(text: string): number {
  let em = 0;
  for (const char of Array.from(text))
    em += char === ' ' ? 0.3 : /[\x21-\x7e]/.test(char) ? 0.62 : 1;
  return em;
}

/**
 * Where a name may break: between characters, never inside a run of digits or letters, and a
 * number stays with the 满 or 减 before it and the 元 or 折 after it (满30, 5元, 8折).
 */
function labelTokens(name: string): string[] {
  return name.match(/[满减]?[A-Za-z0-9.%]+[元折]?|[^A-Za-z0-9.%]/gu) ?? [name];
}

/** The split of `tokens` into `count` lines whose widest line is narrowest (ties: the first). */
function splitLines(tokens: string[], count: number): string[] | null {
  if (count > tokens.length) return null;
  if (count === 1) return [tokens.join('')];
  let best: { lines: string[]; widest: number } | null = null;
  for (let cut = 1; cut <= tokens.length - count + 1; cut++) {
    const rest = splitLines(tokens.slice(cut), count - 1);
    if (!rest) continue;
    const lines = [tokens.slice(0, cut).join(''), ...rest];
    const widest = Math.max(...lines.map(textEm));
    // a tie goes to the even first line: Chinese words are mostly two characters (定制/保温杯)
    const better =
      !best ||
      widest < best.widest - 1e-9 ||
      (Math.abs(widest - best.widest) < 1e-9 &&
        Array.from(lines[0]).length % 2 === 0 &&
        Array.from(best.lines[0]).length % 2 === 1);
    if (better) best = { lines, widest };
  }
  return best?.lines ?? null;
}

/**
 * Lays `lines` out in a sector of a wheel of `sectorCount` at `fontPx`, outermost line first
 * near the rim. It fits when every line stays inside the sector's edges and the outer corners
 * inside the rim, whichever way up the label is turned (so each line is held to the innermost
 * line's room).
 */
function placeLines(lines: string[], fontPx: number, sectorCount: number, radius: number) {
  const pad = fontPx * 0.25;
  const slope = Math.tan(Math.PI / sectorCount);
  const outer = radius * LABEL_OUTER - fontPx / 2;
  const radii = lines.map((_, i) => outer - i * fontPx * LINE_HEIGHT);
  const roomAt = (r: number) => 2 * ((r - fontPx / 2) * slope - pad);
  const innermost = radii[radii.length - 1];
  const widest = Math.max(...lines.map(textEm)) * fontPx;
  const fits =
    innermost - fontPx / 2 >= radius * HUB_SHARE + pad &&
    widest <= roomAt(innermost) &&
    Math.hypot(outer + fontPx / 2, widest / 2) <= radius - pad;
  return {
    fits,
    layout: { lines, radii, maxWidths: radii.map((r) => Math.max(fontPx, roomAt(r))) },
  };
}

/** Each name in as few lines as fit at `fontPx`, or null when one needs more than `maxLines`. */
function layoutAt(
  names: readonly string[],
  fontPx: number,
  radius: number,
  maxLines: number,
): LabelLayout[] | null {
  const layouts: LabelLayout[] = [];
  for (const name of names) {
    const tokens = labelTokens(name);
    let placed: LabelLayout | null = null;
    for (let count = 1; count <= maxLines && !placed; count++) {
      const lines = splitLines(tokens, count);
      const attempt = lines && placeLines(lines, fontPx, names.length, radius);
      if (attempt && attempt.fits) placed = attempt.layout;
    }
    if (!placed) return null;
    layouts.push(placed);
  }
  return layouts;
}

/**
 * The labels of a wheel of side `sizePx`: the largest font (in half-pixel steps) at which every
 * name fits whole in two lines, else in three. Names too long even then get three lines at the
 * smallest font, and `fillText`'s maxWidth narrows them: squeezed, never cut.
 */
export function wheelLabels(names: readonly string[], sizePx: number): WheelLabels {
  // the wheel is painted every frame of a spin: lay its labels out once
  const key = `${sizePx}\u0000${names.join('\u0000')}`;
  if (lastLabels?.key !== key) lastLabels = { key, labels: layOutLabels(names, sizePx) };
  return lastLabels.labels;
}

let lastLabels: { key: string; labels: WheelLabels } | undefined;

function layOutLabels(names: readonly string[], sizePx: number): WheelLabels {
  const radius = sizePx / 2 - Math.max(4, sizePx * RIM_SHARE);
  const max = Math.max(10, sizePx * FONT_MAX_SHARE);
  const min = Math.max(10, sizePx * FONT_MIN_SHARE);
  for (let maxLines = 2; maxLines <= MAX_LINES; maxLines++) {
    for (let fontPx = Math.floor(max * 2) / 2; fontPx >= min; fontPx -= 0.5) {
      const labels = layoutAt(names, fontPx, radius, maxLines);
      if (labels) return { fontPx, labels };
    }
  }
  const labels = names.map((name) => {
    const tokens = labelTokens(name);
    const lines = splitLines(tokens, Math.min(MAX_LINES, tokens.length)) ?? [name];
    return placeLines(lines, min, names.length, radius).layout;
  });
  return { fontPx: min, labels };
}

/**
 * How far to turn the label of sector `index` in the wheel's own frame (radians) so that it reads
 * upright when the wheel rests at `restRotation`, and whether its lines then run from the hub
 * outwards. At rest every sector's middle is within 40 % of a half-sector
 * of its slot (the pointer's position plus whole sectors), so the slot decides: no label is left
 * on its head, or reading upwards, by the jitter of the landing.
 */
export function labelTurn(
  index: number,
  sectorCount: number,
  restRotation: number,
): { turn: number; hubFirst: boolean } {
  const width = sectorAngle(sectorCount);
  const mid = sectorAngles(sectorCount)[index].mid;
  const slot = Math.round((mid + restRotation - POINTER_ANGLE) / width);
  const slotAngle = POINTER_ANGLE + slot * width;
  const [x, y] = [Math.cos(slotAngle), Math.sin(slotAngle)];
  // upper half, and 3 o'clock: tops towards the rim (at 3 o'clock it then reads downwards)
  const topsOut = y < -1e-9 || (Math.abs(y) <= 1e-9 && x > 0);
  return topsOut
    ? { turn: mid + Math.PI / 2, hubFirst: false }
    : { turn: mid - Math.PI / 2, hubFirst: true };
}

/**
 * Draws the whole wheel turned by `rotation` into a `sizePx` square: the rim, the sectors with
 * their names, and the hub. Labels are turned to read upright at `restRotation`, where the wheel
 * stops (during a spin, the rotation it is heading for), so they do not flip while it turns. The
 * first `rotate()` call after `clearRect()` is the wheel's rotation (tests read it from a
 * recording context).
 */
export function drawWheel(
  ctx: WheelContext,
  names: readonly string[],
  sizePx: number,
  rotation: number,
  restRotation = rotation,
): void {
  const centre = sizePx / 2;
  const rim = Math.max(4, sizePx * RIM_SHARE);
  const radius = centre - rim;
  ctx.clearRect(0, 0, sizePx, sizePx);
  ctx.save();
  ctx.translate(centre, centre);
  ctx.rotate(rotation);

  ctx.beginPath();
  ctx.arc(0, 0, centre - 1, 0, TAU);
  ctx.fillStyle = '#C9A45C';
  ctx.fill();

  if (names.length >= 2) {
    const { fontPx, labels } = wheelLabels(names, sizePx);
    for (const sector of sectorAngles(names.length)) {
      const colours = sectorColours(sector.index, names.length);
      ctx.beginPath();
      ctx.moveTo(0, 0);
      ctx.arc(0, 0, radius, sector.start, sector.end);
      ctx.closePath();
      ctx.fillStyle = colours.fill;
      ctx.fill();

      const { lines, radii, maxWidths } = labels[sector.index];
      const { turn, hubFirst } = labelTurn(sector.index, names.length, restRotation);
      ctx.save();
      ctx.rotate(turn);
      ctx.fillStyle = colours.text;
      ctx.font = `600 ${fontPx}px sans-serif`;
      ctx.textAlign = 'center';
      ctx.textBaseline = 'middle';
      // tops out: the rim is up (−y), the first line outermost; tops in: the hub is up
      lines.forEach((line, i) => {
        const slot = hubFirst ? lines.length - 1 - i : i;
        ctx.fillText(line, 0, hubFirst ? radii[slot] : -radii[slot], maxWidths[slot]);
      });
      ctx.restore();
    }
  }

  ctx.beginPath();
  ctx.arc(0, 0, radius * HUB_SHARE, 0, TAU);
  ctx.fillStyle = '#FFFDF8';
  ctx.fill();
  ctx.lineWidth = Math.max(2, sizePx * 0.012);
  ctx.strokeStyle = '#C9A45C';
  ctx.stroke();
  ctx.restore();
}
