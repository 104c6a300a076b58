import {
  drawWheel,
  easeOutQuart,
  labelTurn,
  MAX_JITTER,
  rotationAt,
  sectorAngles,
  sectorAtPointer,
  sectorColours,
  targetRotation,
  textEm,
  wheelLabels,
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

  test('clears, turns by the rotation, and writes each name whole in its sector colour', () => {
    const names = ['8折券', '谢谢参与', '满50减10', '茶包', '谢谢参与', '一个很长很长的奖品名称'];
    const { ctx, calls } = recorder();
    drawWheel(ctx, names, 300, 1.25);
    expect(calls[0]).toEqual(['clearRect', 0, 0, 300, 300, undefined]);
    expect(calls.find((c) => c[0] === 'rotate')).toEqual(['rotate', 1.25, undefined]);
    const texts = calls.filter((c) => c[0] === 'fillText');
    // nothing cut: the long name is on two lines, every character of it written
    expect(texts.map((c) => c[1])).toEqual(wheelLabels(names, 300).labels.flatMap((l) => l.lines));
    expect(texts.map((c) => c[1]).join('')).toBe(names.join(''));
    expect(texts.map((c) => c[c.length - 1])).toEqual(
      wheelLabels(names, 300).labels.flatMap((l, i) => l.lines.map(() => sectorColours(i, 6).text)),
    );
    // balanced state stack
    expect(calls.filter((c) => c[0] === 'save')).toHaveLength(
      calls.filter((c) => c[0] === 'restore').length,
    );
  });
});

/** The demo campaign's wheel, and names as long as operators write them. */
const DEMO = [
  '定制保温杯',
  '全场8折券',
  '满50减10',
  '5元无门槛券',
  '特调配方资料包',
  '帆布袋',
  '开业满30减5',
  '谢谢参与',
];
const MORE = ['会员专享买一送一', '再来一次', '新品试饮券', '店长推荐特调一杯'];

describe('wheelLabels', () => {
  // a 600rpx wheel is 300 px wide on a 375 px phone: 600 device pixels at a pixel ratio of 2
  const SIDE = 600;

  test('the demo wheel: every name whole, split only where a name is long, at one size', () => {
    const { fontPx, labels } = wheelLabels(DEMO, SIDE);
    expect(labels.map((l) => l.lines)).toEqual([
      ['定制保温杯'],
      ['全场8折券'],
      ['满50减10'],
      ['5元无门槛券'],
      ['特调配方', '资料包'],
      ['帆布袋'],
      ['开业', '满30减5'], // 满30减5 stays together
      ['谢谢参与'],
    ]);
    expect(fontPx).toBeGreaterThanOrEqual(26); // 13 px on screen, more than the page's smallest
  });

  test.each(COUNTS)('on a wheel of %i, each line lies inside its sector and the rim', (count) => {
    const names = [...DEMO, ...MORE].slice(0, count);
    const { fontPx, labels } = wheelLabels(names, SIDE);
    expect(fontPx).toBeGreaterThanOrEqual(SIDE * 0.032);
    const radius = SIDE / 2 - SIDE * 0.03;
    const halfAngle = Math.PI / count;
    labels.forEach((label, i) => {
      expect(label.lines.join('')).toBe(names[i]);
      expect(label.lines.length).toBeLessThanOrEqual(2);
      label.lines.forEach((line) => {
        const halfWidth = (textEm(line) * fontPx) / 2;
        // every line is held to the innermost line's room: the label may be turned either way
        for (const r of label.radii) {
          const inner = r - fontPx / 2;
          const outer = r + fontPx / 2;
          expect(halfWidth).toBeLessThanOrEqual(inner * Math.tan(halfAngle));
          expect(Math.hypot(outer, halfWidth)).toBeLessThanOrEqual(radius);
          expect(inner).toBeGreaterThan(radius * 0.16); // clear of the hub
        }
      });
    });
  });

  test('a name too long for any size is squeezed by maxWidth, never cut', () => {
    const names = Array.from({ length: 12 }, (_, i) => `第${i + 1}个特别特别特别长的奖品名字`);
    const { labels } = wheelLabels(names, SIDE);
    labels.forEach((label, i) => {
      expect(label.lines.join('')).toBe(names[i]);
      expect(label.maxWidths).toHaveLength(label.lines.length);
    });
  });
});

describe('labelTurn', () => {
  /** Where a label's lines run on screen: reading direction of its baseline. */
  const reading = (rotation: number, turn: number) => {
    const angle = rotation + turn;
    return { x: Math.cos(angle), y: Math.sin(angle) };
  };

  test.each(COUNTS)('on a wheel of %i at rest, every label reads upright', (count) => {
    for (let landed = 0; landed < count; landed++) {
      for (const jitter of [-MAX_JITTER, 0, MAX_JITTER]) {
        const rest = targetRotation({
          sectorCount: count,
          sectorIndex: landed,
          currentRotation: 0,
          jitter,
        });
        for (let index = 0; index < count; index++) {
          const { turn, hubFirst } = labelTurn(index, count, rest);
          const { x, y } = reading(rest, turn);
          // left to right, or down at 3 and 9 o'clock (tilted at most by the landing's jitter):
          // never upside down, never upwards
          const tilt = (MAX_JITTER * Math.PI) / count;
          const upright = x > 1e-6 || (y > 0 && x >= -Math.sin(tilt) - 1e-9);
          expect({ count, landed, jitter, index, upright }).toEqual({
            count,
            landed,
            jitter,
            index,
            upright: true,
          });
          // the first line is the top one: the outer line when the glyphs' tops point to the rim
          const up = rest + turn - Math.PI / 2;
          const outwards = sectorAngles(count)[index].mid + rest;
          expect(hubFirst).toBe(Math.cos(up - outwards) < 0);
        }
      }
    }
  });
});
