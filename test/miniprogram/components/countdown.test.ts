/** @jest-environment jsdom */
import { attach, classesOf, listen, render, textOf } from '../support/simulate';

const PHONE_NOW = Date.parse('2025-03-01T12:00:00+08:00');
const iso = (ms: number) => new Date(ms).toISOString();

beforeEach(() => {
  jest.useFakeTimers({ now: PHONE_NOW });
});
afterEach(() => {
  jest.useRealTimers();
});

function countdown(props: Record<string, unknown>) {
  const comp = render('components/countdown/index', props);
  const ends = listen(comp, 'end');
  attach(comp);
  return { comp, ends, time: () => textOf(comp.querySelector('.countdown__time')) };
}

test('shows what is left and ticks every second', () => {
  const { comp, time } = countdown({
    endAt: iso(PHONE_NOW + 3 * 3600e3 + 4 * 60e3 + 5e3),
    label: '距结束',
  });
  expect(textOf(comp.querySelector('.countdown__label'))).toBe('距结束');
  expect(time()).toBe('03:04:05');
  jest.advanceTimersByTime(1000);
  expect(time()).toBe('03:04:04');
  jest.advanceTimersByTime(60_000);
  expect(time()).toBe('03:03:04');
});

test('shows days beyond 24 hours', () => {
  const { time } = countdown({ endAt: iso(PHONE_NOW + 2 * 86400e3 + 3 * 3600e3 + 4 * 60e3 + 5e3) });
  expect(time()).toBe('2天 03:04:05');
});

test('counts on the server clock, not the phone clock', () => {
  // the phone is 10 minutes fast: the server says it is 11:50
  const { time } = countdown({
    endAt: '2025-03-01T13:00:00+08:00',
    serverNow: '2025-03-01T11:50:00+08:00',
  });
  expect(time()).toBe('01:10:00');
});

test('reaches 已结束, fires `end` once, and stops ticking', () => {
  const { comp, ends, time } = countdown({ endAt: iso(PHONE_NOW + 2500), label: '距结束' });
  expect(time()).toBe('00:00:03');
  jest.advanceTimersByTime(500);
  expect(time()).toBe('00:00:02');
  jest.advanceTimersByTime(1000);
  expect(time()).toBe('00:00:01');
  expect(ends).toHaveLength(0);
  jest.advanceTimersByTime(1000);
  expect(textOf(comp)).toBe('已结束');
  expect(classesOf(comp.querySelector('.countdown'))).toContain('countdown--ended');
  expect(ends).toHaveLength(1);
  jest.advanceTimersByTime(60_000);
  expect(ends).toHaveLength(1);
  expect(jest.getTimerCount()).toBe(0);
});

test('an end already past shows 已结束 and fires `end` on attach', () => {
  const { comp, ends } = countdown({ endAt: iso(PHONE_NOW - 1000), label: '距结束' });
  expect(textOf(comp)).toBe('已结束');
  expect(ends).toHaveLength(1);
  expect(jest.getTimerCount()).toBe(0);
});

test('a new end time restarts the countdown', () => {
  const { comp, ends, time } = countdown({ endAt: iso(PHONE_NOW + 1000) });
  jest.advanceTimersByTime(1000);
  expect(ends).toHaveLength(1);
  comp.setData({ endAt: iso(PHONE_NOW + 1000 + 65_000) });
  expect(time()).toBe('00:01:05');
  jest.advanceTimersByTime(65_000);
  expect(ends).toHaveLength(2);
});

test('the page re-setting the same values does not fire `end` again', () => {
  const endAt = iso(PHONE_NOW + 1000);
  const { comp, ends, time } = countdown({ endAt, serverNow: iso(PHONE_NOW) });
  jest.advanceTimersByTime(1000);
  expect(ends).toHaveLength(1);
  comp.setData({ endAt, serverNow: iso(PHONE_NOW + 1000) });
  expect(time()).toBe('已结束');
  expect(ends).toHaveLength(1);
});

test('shows nothing for a missing end time', () => {
  const { comp, ends } = countdown({});
  expect(textOf(comp)).toBe('');
  expect(ends).toHaveLength(0);
  expect(jest.getTimerCount()).toBe(0);
});

test('clears its timer when removed from the page', () => {
  const { comp, ends } = countdown({ endAt: iso(PHONE_NOW + 5000) });
  expect(jest.getTimerCount()).toBe(1);
  comp.detach();
  expect(jest.getTimerCount()).toBe(0);
  jest.advanceTimersByTime(10_000);
  expect(ends).toHaveLength(0);
});
