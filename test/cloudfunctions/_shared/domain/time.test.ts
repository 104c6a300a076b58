import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import {
  endOfShanghaiDay,
  formatShanghai,
  nextShanghaiMidnight,
  shanghaiDayKey,
  shanghaiDayStart,
  toShanghaiIso,
} from '../../../../cloudfunctions/_shared/domain/time';

const root = join(__dirname, '../../../..');

// Instants and what they are in Shanghai. 16:00Z is Shanghai midnight. The March and November
// dates are the US DST switches (2025-03-09, 2025-11-02), where a host-local computation breaks.
const EXPECTED: Array<{ at: string; key: string; start: string; next: string; wall: string }> = [
  {
    at: '2025-03-01T15:59:59.999Z',
    key: '2025-03-01',
    start: '2025-02-28T16:00:00.000Z',
    next: '2025-03-01T16:00:00.000Z',
    wall: '2025-03-01 23:59:59.999',
  },
  {
    at: '2025-03-01T16:00:00.000Z',
    key: '2025-03-02',
    start: '2025-03-01T16:00:00.000Z',
    next: '2025-03-02T16:00:00.000Z',
    wall: '2025-03-02 00:00:00.000',
  },
  {
    at: '2024-12-31T16:00:00.000Z',
    key: '2025-01-01',
    start: '2024-12-31T16:00:00.000Z',
    next: '2025-01-01T16:00:00.000Z',
    wall: '2025-01-01 00:00:00.000',
  },
  {
    at: '2024-02-28T16:30:00.000Z',
    key: '2024-02-29',
    start: '2024-02-28T16:00:00.000Z',
    next: '2024-02-29T16:00:00.000Z',
    wall: '2024-02-29 00:30:00.000',
  },
  {
    at: '2025-03-08T18:30:00.000Z',
    key: '2025-03-09',
    start: '2025-03-08T16:00:00.000Z',
    next: '2025-03-09T16:00:00.000Z',
    wall: '2025-03-09 02:30:00.000',
  },
  {
    at: '2025-03-09T10:30:00.000Z',
    key: '2025-03-09',
    start: '2025-03-08T16:00:00.000Z',
    next: '2025-03-09T16:00:00.000Z',
    wall: '2025-03-09 18:30:00.000',
  },
  {
    at: '2025-11-02T09:30:00.000Z',
    key: '2025-11-02',
    start: '2025-11-01T16:00:00.000Z',
    next: '2025-11-02T16:00:00.000Z',
    wall: '2025-11-02 17:30:00.000',
  },
  {
    at: '1969-12-31T20:00:00.000Z',
    key: '1970-01-01',
    start: '1969-12-31T16:00:00.000Z',
    next: '1970-01-01T16:00:00.000Z',
    wall: '1970-01-01 04:00:00.000',
  },
];

function computed(at: string) {
  const d = new Date(at);
  return {
    at,
    key: shanghaiDayKey(d),
    start: shanghaiDayStart(d).toISOString(),
    next: nextShanghaiMidnight(d).toISOString(),
    wall: formatShanghai(d, 'YYYY-MM-DD HH:mm:ss.SSS'),
  };
}

describe('Shanghai days', () => {
  it.each(EXPECTED)('$at is Shanghai day $key', (expected) => {
    expect(computed(expected.at)).toEqual(expected);
  });

  it('rolls the day over exactly at 16:00Z', () => {
    const before = new Date('2025-06-30T15:59:59.999Z');
    const after = new Date(before.getTime() + 1);
    expect(shanghaiDayKey(before)).toBe('2025-06-30');
    expect(shanghaiDayKey(after)).toBe('2025-07-01');
    expect(nextShanghaiMidnight(before)).toEqual(after);
    // At midnight itself, the next midnight is a whole day later, never the same instant.
    expect(nextShanghaiMidnight(after).toISOString()).toBe('2025-07-01T16:00:00.000Z');
  });

  it('ends a day n days later at 23:59:59.999 Shanghai', () => {
    const issued = new Date('2025-03-10T07:00:00Z'); // 15:00 Shanghai
    expect(endOfShanghaiDay(issued).toISOString()).toBe('2025-03-10T15:59:59.999Z');
    expect(endOfShanghaiDay(issued, 7).toISOString()).toBe('2025-03-17T15:59:59.999Z');
    expect(toShanghaiIso(endOfShanghaiDay(issued, 1))).toBe('2025-03-11T23:59:59.999+08:00');
  });

  it('writes ISO instants with the Shanghai offset that parse back to the same instant', () => {
    const at = new Date('2025-03-08T18:30:00.123Z');
    expect(toShanghaiIso(at)).toBe('2025-03-09T02:30:00.123+08:00');
    expect(new Date(toShanghaiIso(at))).toEqual(at);
  });

  it('refuses an invalid Date instead of producing a bogus key', () => {
    expect(() => shanghaiDayKey(new Date('nope'))).toThrow(RangeError);
  });

  // The test process runs under TZ=Asia/Shanghai (global setup), which would hide a computation
  // that leans on the host zone. So the real module is bundled (esbuild, as the deploy does) and
  // run in fresh Node processes under other zones; each must give the same, expected answers.
  describe('on hosts in other time zones', () => {
    let bundle: string;
    beforeAll(() => {
      bundle = execFileSync(
        join(root, 'node_modules/.bin/esbuild'),
        [
          join(root, 'cloudfunctions/_shared/domain/time.ts'),
          '--bundle',
          '--platform=node',
          '--format=iife',
          '--global-name=time',
          '--log-level=warning',
        ],
        { encoding: 'utf8' },
      );
    });

    const zones: Array<[string, number]> = [
      // [zone, its UTC offset in minutes on 2025-03-09T10:30Z as getTimezoneOffset reports it]
      ['UTC', 0],
      ['America/Los_Angeles', 420],
      ['Europe/London', 0],
      ['Pacific/Kiritimati', -840],
      ['Asia/Kolkata', -330],
    ];

    it.each(zones)('TZ=%s', (zone, offset) => {
      const driver = `
        const instants = ${JSON.stringify(EXPECTED.map((e) => e.at))};
        process.stdout.write(JSON.stringify({
          hostOffset: new Date('2025-03-09T10:30:00Z').getTimezoneOffset(),
          results: instants.map((at) => {
            const d = new Date(at);
            return {
              at,
              key: time.shanghaiDayKey(d),
              start: time.shanghaiDayStart(d).toISOString(),
              next: time.nextShanghaiMidnight(d).toISOString(),
              wall: time.formatShanghai(d, 'YYYY-MM-DD HH:mm:ss.SSS'),
            };
          }),
        }));`;
      const out = execFileSync(process.execPath, ['-'], {
        input: `${bundle}\n${driver}`,
        env: { ...process.env, TZ: zone },
        encoding: 'utf8',
      });
      const { hostOffset, results } = JSON.parse(out);
      expect(hostOffset).toBe(offset); // the child really ran in that zone
      expect(results).toEqual(EXPECTED);
    });
  });
});
