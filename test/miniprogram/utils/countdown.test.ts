import {
  countdownParts,
  formatCountdown,
  msUntil,
  serverOffset,
} from '../../../miniprogram/utils/countdown';

const SECOND = 1000;
const HOUR = 3600 * SECOND;
const DAY = 24 * HOUR;

describe('countdownParts', () => {
  test('splits what is left into days, hours, minutes and seconds', () => {
    expect(countdownParts(2 * DAY + 3 * HOUR + 4 * 60 * SECOND + 5 * SECOND)).toEqual({
      days: 2,
      hours: 3,
      minutes: 4,
      seconds: 5,
      totalSeconds: 2 * 86400 + 3 * 3600 + 4 * 60 + 5,
    });
  });

  test('rounds up to the second, so time left never reads as zero', () => {
    expect(countdownParts(1).seconds).toBe(1);
    expect(countdownParts(59_001)).toMatchObject({ minutes: 1, seconds: 0 });
  });

  test('is never negative, nor NaN', () => {
    for (const ms of [0, -1, -DAY, Number.NaN, Number.NEGATIVE_INFINITY]) {
      expect(countdownParts(ms)).toEqual({
        days: 0,
        hours: 0,
        minutes: 0,
        seconds: 0,
        totalSeconds: 0,
      });
    }
  });
});

describe('formatCountdown', () => {
  test.each([
    [2 * DAY + 3 * HOUR + 4 * 60 * SECOND + 5 * SECOND, '2天 03:04:05'],
    [DAY, '1天 00:00:00'],
    [DAY - SECOND, '23:59:59'],
    [3 * HOUR + 4 * 60 * SECOND + 5 * SECOND, '03:04:05'],
    [9 * SECOND, '00:00:09'],
    [400, '00:00:01'],
    [0, '已结束'],
    [-5 * SECOND, '已结束'],
  ])('%i ms reads %s', (ms, text) => {
    expect(formatCountdown(countdownParts(ms))).toBe(text);
  });
});

describe('server time', () => {
  test('the offset is how far the server is ahead of the phone', () => {
    const phone = Date.parse('2025-03-01T10:00:00+08:00');
    expect(serverOffset('2025-03-01T10:05:00+08:00', phone)).toBe(5 * 60 * SECOND);
    expect(serverOffset('2025-03-01T01:59:30Z', phone)).toBe(-30 * SECOND);
  });

  test('an unreadable server time trusts the phone', () => {
    expect(serverOffset('', 123)).toBe(0);
    expect(serverOffset('not a date', 123)).toBe(0);
  });

  test('msUntil counts from the corrected clock', () => {
    const phone = Date.parse('2025-03-01T10:00:00+08:00');
    const offset = 5 * 60 * SECOND; // the phone is 5 minutes slow
    expect(msUntil('2025-03-01T11:00:00+08:00', phone, offset)).toBe(55 * 60 * SECOND);
    expect(msUntil('garbage', phone, offset)).toBeNaN();
  });
});
