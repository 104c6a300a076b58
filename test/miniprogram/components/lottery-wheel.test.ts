/** @jest-environment jsdom */
import { labelTurn, sectorAtPointer } from '../../../miniprogram/utils/wheel';
import type { FakeCanvas } from '../support/simulate';
import { attrOf, canvasOf, flushMicrotasks, mount } from '../support/simulate';

const SECTORS = [
  '8折券',
  '谢谢参与',
  '满50减10',
  '茶包',
  '再来一次',
  '谢谢参与',
  '茶具',
  '立减5元',
].map((name, i) => ({ id: `p${i}`, name, kind: name === '谢谢参与' ? 'none' : 'coupon' }));

/** The wheel's rotation in each drawn frame: the first rotate() after each clearRect(). */
function frameRotations(canvas: FakeCanvas): number[] {
  const rotations: number[] = [];
  let inFrame = false;
  for (const call of canvas.calls) {
    if (call.method === 'clearRect') inFrame = true;
    else if (call.method === 'rotate' && inFrame) {
      rotations.push(call.args[0] as number);
      inFrame = false;
    }
  }
  return rotations;
}

type Wheel = { spinTo(sectorIndex: number): Promise<void> };

async function wheel(sectors = SECTORS) {
  const comp = mount('components/lottery-wheel/index', { sectors, size: 600 });
  await flushMicrotasks();
  const canvas = canvasOf(comp, '#wheel');
  if (!canvas) throw new Error('no canvas rendered');
  const spinTo = (i: number) => (comp.instance as unknown as Wheel).spinTo(i);
  const landed = () => sectorAtPointer(frameRotations(canvas).at(-1) ?? NaN, sectors.length);
  const label = () => attrOf(comp.querySelector('.lottery-wheel'), 'aria-label');
  return { comp, canvas, spinTo, landed, label };
}

/** Runs a promise to completion under fake timers, reporting whether it settled by then. */
function track(promise: Promise<void>) {
  const state = { settled: false, error: undefined as unknown };
  promise.then(
    () => (state.settled = true),
    (error) => {
      state.settled = true;
      state.error = error;
    },
  );
  return state;
}

beforeEach(() => {
  jest.useFakeTimers({ now: Date.parse('2025-03-01T12:00:00+08:00') });
});
afterEach(() => {
  jest.useRealTimers();
  jest.restoreAllMocks();
});

test('draws every sector at rest with the pointer in the middle of the first', async () => {
  const { canvas, landed, label } = await wheel();
  const { pixelRatio, windowWidth } = wx.getWindowInfo();
  expect(canvas.width).toBe(Math.round(((600 * windowWidth) / 750) * pixelRatio));
  const texts = canvas.calls.filter((c) => c.method === 'fillText').map((c) => c.args[0]);
  expect(texts.slice(-SECTORS.length)).toEqual(SECTORS.map((s) => s.name));
  expect(frameRotations(canvas).at(-1)).toBeCloseTo(-Math.PI / 8);
  expect(landed()).toBe(0);
  expect(label()).toBe(`抽奖转盘，奖品有：${SECTORS.map((s) => s.name).join('、')}`);
});

test.each([
  [5, 0],
  [2, 0.5],
  [7, 0.999],
])(
  'spinTo(%i) turns forward for about 4 s and rests inside that sector (random %f)',
  async (index, random) => {
    jest.spyOn(Math, 'random').mockReturnValue(random);
    const { canvas, spinTo, landed, label } = await wheel();
    const before = frameRotations(canvas).length;
    const spin = track(spinTo(index));

    jest.advanceTimersByTime(3900);
    await flushMicrotasks();
    expect(spin.settled).toBe(false);

    jest.advanceTimersByTime(200);
    await flushMicrotasks();
    expect(spin).toEqual({ settled: true, error: undefined });
    expect(landed()).toBe(index);
    expect(label()).toContain(`指针停在：${SECTORS[index].name}`);

    const frames = frameRotations(canvas).slice(before);
    expect(frames.length).toBeGreaterThan(100); // animated, not a jump
    frames.slice(1).forEach((rotation, i) => expect(rotation).toBeGreaterThanOrEqual(frames[i]));
    expect(frames.at(-1)! - frames[0]).toBeGreaterThan(6 * 2 * Math.PI - 1);
    expect(jest.getTimerCount()).toBe(0);
  },
);

/** The labels' turns in each drawn frame: the rotate() calls after the wheel's own. */
function frameLabelTurns(canvas: FakeCanvas): number[][] {
  const frames: number[][] = [];
  for (const call of canvas.calls) {
    if (call.method === 'clearRect') frames.push([]);
    else if (call.method === 'rotate') frames.at(-1)?.push(call.args[0] as number);
  }
  return frames.map((rotations) => rotations.slice(1));
}

test('the labels are turned for where the wheel stops, and do not flip while it turns', async () => {
  jest.spyOn(Math, 'random').mockReturnValue(0.9);
  const { canvas, spinTo } = await wheel();
  const before = frameLabelTurns(canvas).length;
  const spin = track(spinTo(5));
  jest.advanceTimersByTime(4100);
  await flushMicrotasks();
  expect(spin.settled).toBe(true);

  const rest = frameRotations(canvas).at(-1)!;
  const expected = SECTORS.map((_, i) => labelTurn(i, SECTORS.length, rest).turn);
  const frames = frameLabelTurns(canvas).slice(before);
  expect(frames.length).toBeGreaterThan(100);
  for (const turns of frames) expect(turns).toEqual(expected);
});

test('a second spin while turning is refused, and the first still lands', async () => {
  const { spinTo, landed } = await wheel();
  const first = track(spinTo(3));
  jest.advanceTimersByTime(1000);
  const second = track(spinTo(6));
  await flushMicrotasks();
  expect(second.settled).toBe(true);
  expect(second.error).toEqual(new Error('the wheel is already spinning'));

  jest.advanceTimersByTime(3100);
  await flushMicrotasks();
  expect(first).toEqual({ settled: true, error: undefined });
  expect(landed()).toBe(3);
});

test('spins again from where it stopped', async () => {
  const { spinTo, landed } = await wheel();
  for (const index of [4, 4, 1]) {
    const spin = track(spinTo(index));
    jest.advanceTimersByTime(4100);
    await flushMicrotasks();
    expect(spin.settled).toBe(true);
    expect(landed()).toBe(index);
  }
});

test('stays where it stopped when the page sets the same sectors again, resets for new ones', async () => {
  const { comp, spinTo, landed } = await wheel();
  track(spinTo(6));
  jest.advanceTimersByTime(4100);
  await flushMicrotasks();
  comp.setData({ sectors: SECTORS.map((s) => ({ ...s })) });
  expect(landed()).toBe(6);
  comp.setData({ sectors: SECTORS.slice(0, 6) });
  expect(frameRotations(canvasOf(comp, '#wheel')!).at(-1)).toBeCloseTo(-Math.PI / 6);
});

test('a spin started before the canvas is ready still lands', async () => {
  const comp = mount('components/lottery-wheel/index', { sectors: SECTORS });
  const spin = track((comp.instance as unknown as Wheel).spinTo(3));
  await flushMicrotasks(); // now the canvas node arrives, mid-spin
  const canvas = canvasOf(comp, '#wheel');
  jest.advanceTimersByTime(4100);
  await flushMicrotasks();
  expect(spin).toEqual({ settled: true, error: undefined });
  expect(sectorAtPointer(frameRotations(canvas!).at(-1)!, SECTORS.length)).toBe(3);
  expect(jest.getTimerCount()).toBe(0);
});

test('refuses a sector that is not on the wheel', async () => {
  const { spinTo } = await wheel();
  await expect(spinTo(8)).rejects.toThrow(RangeError);
  await expect(spinTo(-1)).rejects.toThrow(RangeError);
});

test('removed mid-spin: the promise resolves and the animation stops', async () => {
  const { comp, spinTo } = await wheel();
  const spin = track(spinTo(2));
  jest.advanceTimersByTime(500);
  comp.detach();
  await flushMicrotasks();
  expect(spin).toEqual({ settled: true, error: undefined });
  expect(jest.getTimerCount()).toBe(0);
});
