/** Bind codes (operator studio, issue 9): their shape, and who may use one when. */
import {
  formatBindCode,
  judgeBind,
  newBindCode,
  normalizeBindCode,
} from '../../../../cloudfunctions/_shared/domain/bind-code';
import { randomBytes } from 'node:crypto';

const now = new Date('2025-03-10T10:00:00Z');
const code = {
  role: 'staff' as const,
  createdBy: 'owner-a',
  expiresAt: new Date(now.getTime() + 60_000),
  usedBy: null,
};
const caller = (openid: string, role: 'owner' | 'staff' | null = null) => ({ openid, role });

it('makes 10-character codes without look-alike characters, and reads them back however typed', () => {
  for (let i = 0; i < 50; i++) {
    const made = newBindCode((n) => randomBytes(n));
    expect(made).toMatch(/^[2-9A-HJ-NP-Z]{10}$/);
    expect(normalizeBindCode(formatBindCode(made).toLowerCase())).toBe(made);
    expect(normalizeBindCode(` ${made.slice(0, 5)} ${made.slice(5)} `)).toBe(made);
  }
  expect(normalizeBindCode('ABCDE-FGHI1')).toBeNull(); // 1 and I are not in the alphabet
  expect(normalizeBindCode('ABCD')).toBeNull();
});

describe('judgeBind', () => {
  it('lets someone new use a fresh code, and its user use it again (a retry)', () => {
    expect(judgeBind({ code, caller: caller('new'), now })).toEqual({ ok: true, retry: false });
    expect(
      judgeBind({ code: { ...code, usedBy: 'new' }, caller: caller('new', 'staff'), now }),
    ).toEqual({ ok: true, retry: true });
  });

  it.each([
    ['no such code', null, caller('new'), 'BAD_TOKEN'],
    ['used by someone else', { ...code, usedBy: 'other' }, caller('new'), 'BAD_TOKEN'],
    ['expired', { ...code, expiresAt: now }, caller('new'), 'BAD_TOKEN'],
    ['its creator', code, caller('owner-a', 'owner'), 'FORBIDDEN'],
    ['an owner (never lowered)', code, caller('owner-b', 'owner'), 'CONFLICT'],
    ['staff already', code, caller('staff-b', 'staff'), 'CONFLICT'],
  ] as const)('refuses %s', (_what, stored, who, errorCode) => {
    const judgement = judgeBind({ code: stored, caller: who, now });
    expect(judgement).toMatchObject({ ok: false, code: errorCode });
  });

  it('raises staff with an owner code', () => {
    expect(
      judgeBind({ code: { ...code, role: 'owner' }, caller: caller('staff-b', 'staff'), now }).ok,
    ).toBe(true);
  });
});
