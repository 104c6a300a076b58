/**
 * A small QR Code encoder (ISO/IEC 18004) for what this app shows: redemption tokens and short
 * URLs. Byte mode (UTF-8), error-correction level M, versions 1–10 (up to 213 bytes), the mask
 * chosen by penalty score. It builds the same symbols as the `qrcode` npm package given a byte
 * segment, at a fraction of the size (that package ships to the phone poorly: ~30 KB + Buffer).
 */

export interface QrSymbol {
  version: number;
  mask: number;
  /** modules per side: 17 + 4 × version */
  size: number;
  /** modules[row][col], true = dark */
  modules: boolean[][];
}

export interface QrOptions {
  /** force a mask pattern 0–7 instead of the lowest-penalty one */
  mask?: number;
}

export const MAX_QR_VERSION = 10;
/** Level M, versions 1–10: error-correction codewords per block, and blocks. */
const ECC_PER_BLOCK = [10, 16, 26, 18, 24, 16, 18, 22, 22, 26];
const BLOCK_COUNT = [1, 1, 1, 2, 2, 4, 4, 4, 5, 5];
/** Level M's two format bits are 00. */
const EC_LEVEL_M = 0;

// ---------------------------------------------------------------------------------------------
// Capacity

/** Modules left for data and ECC once the function patterns are placed. */
function rawDataModules(version: number): number {
  let modules = (16 * version + 128) * version + 64;
  if (version >= 2) {
    const alignPerSide = Math.floor(version / 7) + 2;
    modules -= (25 * alignPerSide - 10) * alignPerSide - 55;
    if (version >= 7) modules -= 36;
  }
  return modules;
}

function totalCodewords(version: number): number {
  return Math.floor(rawDataModules(version) / 8);
}

function dataCodewords(version: number): number {
  return totalCodewords(version) - ECC_PER_BLOCK[version - 1] * BLOCK_COUNT[version - 1];
}

function countBits(version: number): number {
  return version < 10 ? 8 : 16;
}

/** Bytes a symbol of `version` holds in byte mode at level M. */
export function byteCapacity(version: number): number {
  return Math.floor((dataCodewords(version) * 8 - 4 - countBits(version)) / 8);
}

// ---------------------------------------------------------------------------------------------
// Data codewords

function utf8(text: string): number[] {
  const bytes: number[] = [];
  for (const char of text) {
    let cp = char.codePointAt(0) ?? 0;
    // a lone surrogate is not text: encode it as U+FFFD, as TextEncoder does
    if (cp >= 0xd800 && cp <= 0xdfff) cp = 0xfffd;
    if (cp < 0x80) bytes.push(cp);
    else if (cp < 0x800) bytes.push(0xc0 | (cp >> 6), 0x80 | (cp & 63));
    else if (cp < 0x10000) bytes.push(0xe0 | (cp >> 12), 0x80 | ((cp >> 6) & 63), 0x80 | (cp & 63));
    else
      bytes.push(
        0xf0 | (cp >> 18),
        0x80 | ((cp >> 12) & 63),
        0x80 | ((cp >> 6) & 63),
        0x80 | (cp & 63),
      );
  }
  return bytes;
}

function dataBytes(bytes: number[], version: number): number[] {
  const bits: number[] = [];
  const put = (value: number, length: number): void => {
    for (let i = length - 1; i >= 0; i--) bits.push((value >>> i) & 1);
  };
  put(0b0100, 4); // byte mode
  put(bytes.length, countBits(version));
  for (const b of bytes) put(b, 8);

  const capacityBits = dataCodewords(version) * 8;
  put(0, Math.min(4, capacityBits - bits.length)); // terminator
  while (bits.length % 8 !== 0) bits.push(0);

  const out: number[] = [];
  for (let i = 0; i < bits.length; i += 8) {
    out.push(bits.slice(i, i + 8).reduce((byte, bit) => (byte << 1) | bit, 0));
  }
  for (let pad = 0; out.length < capacityBits / 8; pad++) out.push(pad % 2 === 0 ? 0xec : 0x11);
  return out;
}

// ---------------------------------------------------------------------------------------------
// Reed–Solomon over GF(256), primitive polynomial x⁸ + x⁴ + x³ + x² + 1

const EXP: number[] = [];
const LOG: number[] = [];
for (let i = 0, x = 1; i < 255; i++) {
  EXP[i] = x;
  LOG[x] = i;
  x <<= 1;
  if (x & 0x100) x ^= 0x11d;
}
for (let i = 255; i < 512; i++) EXP[i] = EXP[i - 255];

function gfMul(a: number, b: number): number {
  return a === 0 || b === 0 ? 0 : EXP[LOG[a] + LOG[b]];
}

/** Coefficients of ∏(x − αⁱ), i < degree, highest power first (leading 1 included). */
function generator(degree: number): number[] {
  let poly = [1];
  for (let i = 0; i < degree; i++) {
    const next = new Array<number>(poly.length + 1).fill(0);
    poly.forEach((c, j) => {
      next[j] ^= c;
      next[j + 1] ^= gfMul(c, EXP[i]);
    });
    poly = next;
  }
  return poly;
}

function eccBytes(data: number[], gen: number[]): number[] {
  const rem = new Array<number>(gen.length - 1).fill(0);
  for (const byte of data) {
    const factor = byte ^ (rem.shift() ?? 0);
    rem.push(0);
    for (let i = 0; i < rem.length; i++) rem[i] ^= gfMul(gen[i + 1], factor);
  }
  return rem;
}

/** Splits the data into blocks, adds each block's ECC and interleaves them. */
function codewords(data: number[], version: number): number[] {
  const blocks = BLOCK_COUNT[version - 1];
  const gen = generator(ECC_PER_BLOCK[version - 1]);
  const shortLen = Math.floor(data.length / blocks);
  const longBlocks = data.length % blocks; // the last ones carry one byte more
  const dataBlocks: number[][] = [];
  for (let b = 0, offset = 0; b < blocks; b++) {
    const len = shortLen + (b >= blocks - longBlocks ? 1 : 0);
    dataBlocks.push(data.slice(offset, offset + len));
    offset += len;
  }
  const eccBlocks = dataBlocks.map((block) => eccBytes(block, gen));
  const out: number[] = [];
  for (let i = 0; i <= shortLen; i++) {
    for (const block of dataBlocks) if (i < block.length) out.push(block[i]);
  }
  for (let i = 0; i < gen.length - 1; i++) for (const ecc of eccBlocks) out.push(ecc[i]);
  return out;
}

// ---------------------------------------------------------------------------------------------
// The matrix

class Grid {
  readonly cells: Uint8Array;
  readonly fixed: Uint8Array;
  constructor(readonly size: number) {
    this.cells = new Uint8Array(size * size);
    this.fixed = new Uint8Array(size * size);
  }
  get(row: number, col: number): number {
    return this.cells[row * this.size + col];
  }
  /** a function-pattern module: never masked, never holds data */
  setFixed(row: number, col: number, dark: boolean): void {
    this.cells[row * this.size + col] = dark ? 1 : 0;
    this.fixed[row * this.size + col] = 1;
  }
  isFixed(row: number, col: number): boolean {
    return this.fixed[row * this.size + col] === 1;
  }
}

function placeFinders(grid: Grid): void {
  const { size } = grid;
  for (const [row, col] of [
    [0, 0],
    [size - 7, 0],
    [0, size - 7],
  ]) {
    for (let r = -1; r <= 7; r++) {
      for (let c = -1; c <= 7; c++) {
        const y = row + r;
        const x = col + c;
        if (y < 0 || y >= size || x < 0 || x >= size) continue;
        const ring =
          (r >= 0 && r <= 6 && (c === 0 || c === 6)) || (c >= 0 && c <= 6 && (r === 0 || r === 6));
        const core = r >= 2 && r <= 4 && c >= 2 && c <= 4;
        grid.setFixed(y, x, ring || core);
      }
    }
  }
}

function alignmentCentres(version: number, size: number): number[] {
  if (version === 1) return [];
  const count = Math.floor(version / 7) + 2;
  const step = Math.ceil((size - 13) / (2 * count - 2)) * 2;
  const centres = [size - 7];
  for (let i = 1; i < count - 1; i++) centres.push(centres[i - 1] - step);
  centres.push(6);
  return centres.reverse();
}

function placeTimingAndAlignment(grid: Grid, version: number): void {
  const { size } = grid;
  for (let i = 8; i < size - 8; i++) {
    grid.setFixed(i, 6, i % 2 === 0);
    grid.setFixed(6, i, i % 2 === 0);
  }
  const centres = alignmentCentres(version, size);
  const last = centres.length - 1;
  centres.forEach((row, i) =>
    centres.forEach((col, j) => {
      // the three corners hold finder patterns
      if ((i === 0 && j === 0) || (i === 0 && j === last) || (i === last && j === 0)) return;
      for (let r = -2; r <= 2; r++) {
        for (let c = -2; c <= 2; c++) {
          grid.setFixed(row + r, col + c, Math.max(Math.abs(r), Math.abs(c)) !== 1);
        }
      }
    }),
  );
}

/** BCH remainder of `value << degree` by `poly` (whose top bit is x^degree). */
function bch(value: number, poly: number, degree: number): number {
  let rem = value << degree;
  for (let bit = 31 - Math.clz32(rem); bit >= degree; bit--) {
    if ((rem >>> bit) & 1) rem ^= poly << (bit - degree);
  }
  return rem;
}

function placeFormat(grid: Grid, mask: number): void {
  const { size } = grid;
  const data = (EC_LEVEL_M << 3) | mask;
  const bits = ((data << 10) | bch(data, 0x537, 10)) ^ 0x5412;
  for (let i = 0; i < 15; i++) {
    const dark = ((bits >>> i) & 1) === 1;
    // beside the top-left finder, then split between the other two
    grid.setFixed(i < 6 ? i : i < 8 ? i + 1 : size - 15 + i, 8, dark);
    grid.setFixed(8, i < 8 ? size - i - 1 : i < 9 ? 15 - i : 14 - i, dark);
  }
  grid.setFixed(size - 8, 8, true); // the dark module
}

function placeVersion(grid: Grid, version: number): void {
  if (version < 7) return;
  const bits = (version << 12) | bch(version, 0x1f25, 12);
  for (let i = 0; i < 18; i++) {
    const dark = ((bits >>> i) & 1) === 1;
    const a = Math.floor(i / 3);
    const b = (i % 3) + grid.size - 11;
    grid.setFixed(a, b, dark);
    grid.setFixed(b, a, dark);
  }
}

/** Fills the free modules in the standard zigzag: two columns at a time, from the bottom right. */
function placeData(grid: Grid, words: number[]): void {
  const { size } = grid;
  let bit = 0;
  let upward = true;
  for (let right = size - 1; right > 0; right -= 2) {
    if (right === 6) right = 5; // skip the vertical timing column
    for (let step = 0; step < size; step++) {
      const row = upward ? size - 1 - step : step;
      for (let c = 0; c < 2; c++) {
        const col = right - c;
        if (grid.isFixed(row, col)) continue;
        const byte = words[bit >>> 3];
        const dark = byte !== undefined && ((byte >>> (7 - (bit & 7))) & 1) === 1;
        grid.cells[row * size + col] = dark ? 1 : 0;
        bit++;
      }
    }
    upward = !upward;
  }
}

function maskBit(mask: number, row: number, col: number): boolean {
  switch (mask) {
    case 0:
      return (row + col) % 2 === 0;
    case 1:
      return row % 2 === 0;
    case 2:
      return col % 3 === 0;
    case 3:
      return (row + col) % 3 === 0;
    case 4:
      return (Math.floor(row / 2) + Math.floor(col / 3)) % 2 === 0;
    case 5:
      return ((row * col) % 2) + ((row * col) % 3) === 0;
    case 6:
      return (((row * col) % 2) + ((row * col) % 3)) % 2 === 0;
    default:
      return (((row * col) % 3) + ((row + col) % 2)) % 2 === 0;
  }
}

/** XORs the mask over the data modules; applying it twice undoes it. */
function applyMask(grid: Grid, mask: number): void {
  for (let row = 0; row < grid.size; row++) {
    for (let col = 0; col < grid.size; col++) {
      if (!grid.isFixed(row, col) && maskBit(mask, row, col))
        grid.cells[row * grid.size + col] ^= 1;
    }
  }
}

/** The four penalty rules, scored as the `qrcode` package scores them (so both pick one mask). */
function penalty(grid: Grid): number {
  const { size } = grid;
  let score = 0;
  for (let a = 0; a < size; a++) {
    let runRow = 0;
    let runCol = 0;
    let lastRow = -1;
    let lastCol = -1;
    let windowRow = 0;
    let windowCol = 0;
    for (let b = 0; b < size; b++) {
      const inRow = grid.get(a, b);
      const inCol = grid.get(b, a);
      // N1: runs of five or more of one colour
      if (inRow === lastRow) runRow++;
      else {
        if (runRow >= 5) score += runRow - 2;
        lastRow = inRow;
        runRow = 1;
      }
      if (inCol === lastCol) runCol++;
      else {
        if (runCol >= 5) score += runCol - 2;
        lastCol = inCol;
        runCol = 1;
      }
      // N3: 1:1:3:1:1 finder look-alikes with four light modules on one side
      windowRow = ((windowRow << 1) & 0x7ff) | inRow;
      windowCol = ((windowCol << 1) & 0x7ff) | inCol;
      if (b >= 10 && (windowRow === 0x5d0 || windowRow === 0x05d)) score += 40;
      if (b >= 10 && (windowCol === 0x5d0 || windowCol === 0x05d)) score += 40;
    }
    if (runRow >= 5) score += runRow - 2;
    if (runCol >= 5) score += runCol - 2;
  }
  // N2: 2×2 blocks of one colour
  for (let row = 0; row < size - 1; row++) {
    for (let col = 0; col < size - 1; col++) {
      const sum =
        grid.get(row, col) +
        grid.get(row, col + 1) +
        grid.get(row + 1, col) +
        grid.get(row + 1, col + 1);
      if (sum === 0 || sum === 4) score += 3;
    }
  }
  // N4: distance of the dark share from 50 %, in 5 % steps
  const dark = grid.cells.reduce((sum, cell) => sum + cell, 0);
  score += Math.abs(Math.ceil((dark * 100) / grid.cells.length / 5) - 10) * 10;
  return score;
}

/**
 * Encodes `text` as the smallest symbol (versions 1–10, level M) that holds it.
 * Throws a RangeError when it does not fit (more than 213 UTF-8 bytes).
 */
export function encodeQr(text: string, options: QrOptions = {}): QrSymbol {
  const bytes = utf8(text);
  let version = 1;
  while (version <= MAX_QR_VERSION && bytes.length > byteCapacity(version)) version++;
  if (version > MAX_QR_VERSION) {
    throw new RangeError(
      `QR text too long: ${bytes.length} bytes, at most ${byteCapacity(MAX_QR_VERSION)}`,
    );
  }

  const grid = new Grid(17 + 4 * version);
  placeFinders(grid);
  placeTimingAndAlignment(grid, version);
  placeFormat(grid, 0); // reserves the format modules; rewritten below
  placeVersion(grid, version);
  placeData(grid, codewords(dataBytes(bytes, version), version));

  let mask = options.mask ?? -1;
  if (!(mask >= 0 && mask <= 7)) {
    let best = Infinity;
    for (let candidate = 0; candidate < 8; candidate++) {
      placeFormat(grid, candidate);
      applyMask(grid, candidate);
      const score = penalty(grid);
      applyMask(grid, candidate);
      if (score < best) {
        best = score;
        mask = candidate;
      }
    }
  }
  applyMask(grid, mask);
  placeFormat(grid, mask);

  const modules: boolean[][] = [];
  for (let row = 0; row < grid.size; row++) {
    modules.push(
      Array.from(grid.cells.subarray(row * grid.size, (row + 1) * grid.size), (c) => c === 1),
    );
  }
  return { version, mask, size: grid.size, modules };
}

/** The part of a Canvas 2D context the QR drawing uses: the Mini Program's and a browser's fit. */
export interface QrContext {
  /** a colour string here; typed loosely so both platforms' contexts are assignable */
  fillStyle: unknown;
  fillRect(x: number, y: number, width: number, height: number): void;
}

export interface DrawQrOptions {
  /** quiet zone around the symbol, in modules (default 2; scanners of screens cope with 2) */
  margin?: number;
  dark?: string;
  light?: string;
}

/**
 * Paints `modules` into a `sizePx` square starting at (0, 0): the light background, then each
 * horizontal run of dark modules as one rectangle whose edges are snapped to whole pixels, so
 * neighbouring modules meet without hairline gaps. Pass device pixels for a crisp result.
 */
export function drawQr(
  ctx: QrContext,
  modules: readonly (readonly boolean[])[],
  sizePx: number,
  { margin = 2, dark = '#1F1F1F', light = '#FFFFFF' }: DrawQrOptions = {},
): void {
  const count = modules.length;
  const cell = sizePx / (count + 2 * margin);
  const edge = (i: number): number => Math.round((i + margin) * cell);
  ctx.fillStyle = light;
  ctx.fillRect(0, 0, sizePx, sizePx);
  ctx.fillStyle = dark;
  for (let row = 0; row < count; row++) {
    let col = 0;
    while (col < count) {
      if (!modules[row][col]) {
        col++;
        continue;
      }
      const start = col;
      while (col < count && modules[row][col]) col++;
      ctx.fillRect(edge(start), edge(row), edge(col) - edge(start), edge(row + 1) - edge(row));
    }
  }
}
