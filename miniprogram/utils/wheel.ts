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

/** Labels longer than this are cut: a sector's outer arc holds about five characters. */
const MAX_LABEL_CHARS = 6;

function shortLabel(name: string): string {
  const chars = Array.from(name);
  return chars.length > MAX_LABEL_CHARS ? `${chars.slice(0, MAX_LABEL_CHARS - 1).join('')}…` : name;
}

/**
 * Draws the whole wheel turned by `rotation` into a `sizePx` square: the rim, the sectors
 * with their names read from the rim inwards, and the hub. The first `rotate()` call after
 * `clearRect()` is the wheel's rotation (tests read it from a recording context).
 */
export function drawWheel(
  ctx: WheelContext,
  names: readonly string[],
  sizePx: number,
  rotation: number,
): void {
  const centre = sizePx / 2;
  const rim = Math.max(4, sizePx * 0.03);
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
    const fontPx = Math.round(
      Math.max(10, Math.min(sizePx * 0.048, (radius * 2.2) / names.length)),
    );
    for (const sector of sectorAngles(names.length)) {
      const colours = sectorColours(sector.index, names.length);
      ctx.beginPath();
      ctx.moveTo(0, 0);
      ctx.arc(0, 0, radius, sector.start, sector.end);
      ctx.closePath();
      ctx.fillStyle = colours.fill;
      ctx.fill();

      ctx.save();
      // turn so the sector's middle points up, then write near the rim
      ctx.rotate(sector.mid + Math.PI / 2);
      ctx.fillStyle = colours.text;
      ctx.font = `600 ${fontPx}px sans-serif`;
      ctx.textAlign = 'center';
      ctx.textBaseline = 'middle';
      ctx.fillText(shortLabel(names[sector.index]), 0, -radius * 0.72, radius * 0.8);
      ctx.restore();
    }
  }

  ctx.beginPath();
  ctx.arc(0, 0, radius * 0.16, 0, TAU);
  ctx.fillStyle = '#FFFDF8';
  ctx.fill();
  ctx.lineWidth = Math.max(2, sizePx * 0.012);
  ctx.strokeStyle = '#C9A45C';
  ctx.stroke();
  ctx.restore();
}
