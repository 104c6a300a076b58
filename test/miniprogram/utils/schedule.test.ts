import { windowPhase } from '../../../miniprogram/utils/schedule';

const window = { startAt: '2025-03-01T10:00:00+08:00', endAt: '2025-03-08T00:00:00+08:00' };
const at = (iso: string) => Date.parse(iso);

test('upcoming before the start, open from the start, over from the end', () => {
  expect(windowPhase(window, at('2025-03-01T09:59:59.999+08:00'))).toBe('upcoming');
  expect(windowPhase(window, at('2025-03-01T10:00:00+08:00'))).toBe('open');
  expect(windowPhase(window, at('2025-03-07T23:59:59.999+08:00'))).toBe('open');
  expect(windowPhase(window, at('2025-03-08T00:00:00+08:00'))).toBe('over');
});

test('reads instants in any offset', () => {
  expect(windowPhase(window, at('2025-03-07T16:00:00Z'))).toBe('over');
  expect(windowPhase(window, at('2025-03-01T02:00:00Z'))).toBe('open');
});

test('an unreadable bound does not close the window', () => {
  const now = at('2025-03-05T12:00:00+08:00');
  expect(windowPhase({ startAt: '', endAt: window.endAt }, now)).toBe('open');
  expect(windowPhase({ startAt: window.startAt, endAt: 'soon' }, now)).toBe('open');
  expect(windowPhase({ startAt: 'x', endAt: 'y' }, now)).toBe('open');
});
