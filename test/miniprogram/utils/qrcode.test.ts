import QRCode from 'qrcode';
import { byteCapacity, drawQr, encodeQr, MAX_QR_VERSION } from '../../../miniprogram/utils/qrcode';

/** The reference symbol: the `qrcode` package given one byte segment, level M. */
function reference(text: string, mask?: number) {
  const options: QRCode.QRCodeOptions = { errorCorrectionLevel: 'M' };
  if (mask !== undefined) options.maskPattern = mask as QRCode.QRCodeMaskPattern;
  const symbol = QRCode.create([{ data: new TextEncoder().encode(text), mode: 'byte' }], options);
  const size = symbol.modules.size;
  const modules = Array.from({ length: size }, (_, row) =>
    Array.from({ length: size }, (_, col) => symbol.modules.get(row, col) === 1),
  );
  return { version: symbol.version, mask: symbol.maskPattern as number, modules };
}

const repeat = (unit: string, length: number) =>
  unit.repeat(Math.ceil(length / unit.length)).slice(0, length);

const INPUTS = [
  'a',
  'HELLO',
  '12345678',
  'https://example.com/pages/landing/index?inv=K7Q2MX&ch=poster',
  'gk1.cpn_8f3a9c.1767225600.Zm9vYmFyYmF6cXV4',
  '山野茶事 · 新客立减 10 元',
  '🍵 emoji and 中文 mixed',
  // every version boundary: the largest text of each version and one byte more
  ...Array.from({ length: MAX_QR_VERSION }, (_, i) => repeat('Tk9_x-', byteCapacity(i + 1))),
  ...Array.from({ length: MAX_QR_VERSION - 1 }, (_, i) => repeat('r8Z', byteCapacity(i + 1) + 1)),
];

describe('encodeQr', () => {
  test.each(INPUTS.map((text) => [text.length, text]))(
    'builds the same symbol as the qrcode package (%i chars)',
    (_length, text) => {
      const ours = encodeQr(text);
      const theirs = reference(text);
      expect(ours.version).toBe(theirs.version);
      expect(ours.mask).toBe(theirs.mask);
      expect(ours.size).toBe(17 + 4 * ours.version);
      expect(ours.modules).toEqual(theirs.modules);
    },
  );

  test('matches for token-like text of every length up to 120 (the penalty picks varied masks)', () => {
    const masks = new Set<number>();
    for (let length = 1; length <= 120; length++) {
      const text = repeat('q7XbM2kP9wLz-_Rt', length);
      const ours = encodeQr(text);
      expect({ length, modules: ours.modules }).toEqual({
        length,
        modules: reference(text).modules,
      });
      masks.add(ours.mask);
    }
    expect(masks.size).toBeGreaterThanOrEqual(6);
  });

  test.each([0, 1, 2, 3, 4, 5, 6, 7])(
    'matches under a forced mask %i, in small and versioned symbols',
    (mask) => {
      for (const text of ['mask me', repeat('versioned-', 150)]) {
        const ours = encodeQr(text, { mask });
        expect(ours.mask).toBe(mask);
        expect(ours.modules).toEqual(reference(text, mask).modules);
      }
    },
  );

  test('uses versions 1 to 10 and the capacities of level M in byte mode', () => {
    expect(Array.from({ length: MAX_QR_VERSION }, (_, i) => byteCapacity(i + 1))).toEqual([
      14, 26, 42, 62, 84, 106, 122, 152, 180, 213,
    ]);
    expect(encodeQr(repeat('x', 120)).version).toBe(7);
  });

  test('refuses text longer than a version 10 symbol holds', () => {
    expect(() => encodeQr(repeat('x', 214))).toThrow(RangeError);
    expect(() => encodeQr(repeat('中', 72))).toThrow(/216 bytes/);
  });
});

describe('drawQr', () => {
  function recordingContext() {
    const rects: Array<{ style: unknown; x: number; y: number; w: number; h: number }> = [];
    const ctx = {
      fillStyle: '' as unknown,
      fillRect(x: number, y: number, w: number, h: number) {
        rects.push({ style: ctx.fillStyle, x, y, w, h });
      },
    };
    return { ctx, rects };
  }

  test('paints the light square, then exactly the dark modules, edge to edge', () => {
    const { modules } = encodeQr('https://example.com/c/8f3a9c');
    const { ctx, rects } = recordingContext();
    const sizePx = 301; // deliberately not a multiple of the module count
    drawQr(ctx, modules, sizePx, { margin: 2, dark: '#000', light: '#fff' });

    expect(rects[0]).toEqual({ style: '#fff', x: 0, y: 0, w: sizePx, h: sizePx });
    const dark = rects.slice(1);
    expect(dark.every((r) => r.style === '#000')).toBe(true);
    for (const r of dark) {
      expect([r.x, r.y, r.w, r.h].every(Number.isInteger)).toBe(true);
    }
    // sample each module's centre: dark exactly where the symbol is dark
    const cell = sizePx / (modules.length + 4);
    const painted = (x: number, y: number) =>
      dark.some((r) => x >= r.x && x < r.x + r.w && y >= r.y && y < r.y + r.h);
    const seen = modules.map((row, r) =>
      row.map((_, c) => painted((c + 2.5) * cell, (r + 2.5) * cell)),
    );
    expect(seen).toEqual(modules);
    // the quiet zone stays light
    expect(painted(cell, cell)).toBe(false);
    // runs of dark modules meet without gaps: total painted area equals dark modules' area
    const area = dark.reduce((sum, r) => sum + r.w * r.h, 0);
    const darkCount = modules.flat().filter(Boolean).length;
    expect(area / darkCount).toBeCloseTo(cell * cell, -1);
  });
});
