import {
  drawWheel,
  easeOutQuart,
  MAX_JITTER,
  rotationAt,
  sectorAngles,
  sectorAtPointer,
  sectorColours,
  targetRotation,
} from '../../../miniprogram/utils/wheel';

const TAU = Math.PI * 2;
const COUNTS = [6, 7, 8, 9, 10, 11, 12];

describe('sector geometry', () => {
  test.each(COUNTS)('%i sectors tile the circle clockwise from the pointer', (count) => {
    const sectors = sectorAngles(count);
    expect(sectors).toHaveLength(count);
    expect(sectors[0].start).toBeCloseTo(-Math.PI / 2);
    sectors.forEach((s, i) => {
      expect(s.end - s.start).toBeCloseTo(TAU / count);
      expect(s.mid).toBeCloseTo((s.start + s.end) / 2);
      if (i > 0) expect(s.start).toBeCloseTo(sectors[i - 1].end);
    });
    expect(sectors[count - 1].end).toBeCloseTo(-Math.PI / 2 + TAU);
  });

  test.each(COUNTS)('no two neighbours share a colour on a wheel of %i', (count) => {
    for (let i = 0; i < count; i++) {
      const next = (i + 1) % count;
      expect(sectorColours(i, count).fill).not.toBe(sectorColours(next, count).fill);
    }
  });

  test('an unturned wheel shows sector 0 under the pointer, and turning clockwise brings the last', () => {
    expect(sectorAtPointer(0.01, 8)).toBe(7);
    expect(sectorAtPointer(-0.01, 8)).toBe(0);
    expect(sectorAtPointer(-TAU / 8 - 0.01, 8)).toBe(1);
  });
});

describe('targetRotation', () => {
  const jitters = [-1, -MAX_JITTER, -0.2, 0, 0.13, MAX_JITTER, 1];
  const starts = [0, 1.234, -3, 17 * Math.PI + 0.5, 250.75];

  test('lands inside the chosen sector for every count, index, jitter and start', () => {
    for (const sectorCount of COUNTS) {
      for (let sectorIndex = 0; sectorIndex < sectorCount; sectorIndex++) {
        for (const jitter of jitters) {
          for (const currentRotation of starts) {
            const turns = 6;
            const to = targetRotation({ sectorCount, sectorIndex, currentRotation, turns, jitter });
            const landed = sectorAtPointer(to, sectorCount);
            expect({ sectorCount, sectorIndex, jitter, currentRotation, landed }).toEqual({
              sectorCount,
              sectorIndex,
              jitter,
              currentRotation,
              landed: sectorIndex,
            });
            // always forward, at least the full turns, never a whole extra turn more
            expect(to - currentRotation).toBeGreaterThanOrEqual(turns * TAU);
            expect(to - currentRotation).toBeLessThan((turns + 1) * TAU);
          }
        }
      }
    }
  });

  test('stays clear of the sector edges: at most 40 % of a half-sector off centre', () => {
    const sectorCount = 8;
    const width = TAU / sectorCount;
    for (const jitter of [-5, -MAX_JITTER, MAX_JITTER, 5]) {
      const to = targetRotation({ sectorCount, sectorIndex: 3, currentRotation: 0, jitter });
      const local = (((-to % TAU) + TAU) % TAU) / width; // sectors under the pointer
      expect(Math.abs(local - 3.5)).toBeCloseTo(MAX_JITTER / 2, 10);
    }
  });

  test('refuses a sector that is not on the wheel', () => {
    expect(() => targetRotation({ sectorCount: 6, sectorIndex: 6, currentRotation: 0 })).toThrow(
      RangeError,
    );
    expect(() => targetRotation({ sectorCount: 6, sectorIndex: -1, currentRotation: 0 })).toThrow(
      RangeError,
    );
  });
});

describe('easing', () => {
  test('starts at 0, ends at 1, never goes back, and clamps outside [0, 1]', () => {
    expect(easeOutQuart(0)).toBe(0);
    expect(easeOutQuart(1)).toBe(1);
    expect(easeOutQuart(-0.5)).toBe(0);
    expect(easeOutQuart(2)).toBe(1);
    let previous = 0;
    for (let i = 1; i <= 1000; i++) {
      const value = easeOutQuart(i / 1000);
      expect(value).toBeGreaterThanOrEqual(previous);
      previous = value;
    }
  });

  test('decelerates: the first half of the time covers most of the way', () => {
    expect(easeOutQuart(0.5)).toBeCloseTo(0.9375);
  });

  test('rotationAt goes from `from` to `to` over the duration and stays there', () => {
    expect(rotationAt(0, 2, 10, 4000)).toBe(2);
    expect(rotationAt(4000, 2, 10, 4000)).toBe(10);
    expect(rotationAt(9000, 2, 10, 4000)).toBe(10);
    expect(rotationAt(2000, 2, 10, 4000)).toBeCloseTo(2 + 8 * 0.9375);
    expect(rotationAt(10, 2, 10, 0)).toBe(10);
  });
});

describe('drawWheel', () => {
  function recorder() {
    const calls: Array<[string, ...unknown[]]> = [];
    const state = {
      fillStyle: '' as unknown,
      strokeStyle: '' as unknown,
      lineWidth: 1,
      font: '',
      textAlign: '',
      textBaseline: '',
    };
    const method =
      (name: string) =>
      (...args: unknown[]) => {
        calls.push([
          name,
          ...args,
          name === 'fill' || name === 'fillText' ? state.fillStyle : undefined,
        ]);
      };
    const ctx = Object.assign(state, {
      save: method('save'),
      restore: method('restore'),
      translate: method('translate'),
      rotate: method('rotate'),
      beginPath: method('beginPath'),
      moveTo: method('moveTo'),
      arc: method('arc'),
      closePath: method('closePath'),
      fill: method('fill'),
      stroke: method('stroke'),
      clearRect: method('clearRect'),
      fillText: method('fillText'),
    });
    return { ctx, calls };
  }

  test('clears, turns by the rotation, and writes each name in its sector colour', () => {
    const names = ['8折券', '谢谢参与', '满50减10', '茶包', '谢谢参与', '一个很长很长的奖品名称'];
    const { ctx, calls } = recorder();
    drawWheel(ctx, names, 300, 1.25);
    expect(calls[0]).toEqual(['clearRect', 0, 0, 300, 300, undefined]);
    expect(calls.find((c) => c[0] === 'rotate')).toEqual(['rotate', 1.25, undefined]);
    const texts = calls.filter((c) => c[0] === 'fillText');
    expect(texts.map((c) => c[1])).toEqual([
      '8折券',
      '谢谢参与',
      '满50减10',
      '茶包',
      '谢谢参与',
      '一个很长很…',
    ]);
    expect(texts.map((c) => c[c.length - 1])).toEqual(
      names.map((_, i) => sectorColours(i, 6).text),
    );
    // balanced state stack
    expect(calls.filter((c) => c[0] === 'save')).toHaveLength(
      calls.filter((c) => c[0] === 'restore').length,
    );
  });
});
