/** The campaign lifecycle (operator studio, issue 9): status from the stored decision and the clock. */
import {
  campaignStatus,
  nextVersion,
  planStatusChange,
  publishRefusal,
} from '../../../../cloudfunctions/_shared/domain/lifecycle';

const window = { startAt: '2025-03-10T00:00:00+08:00', endAt: '2025-03-20T00:00:00+08:00' };
const before = new Date('2025-03-09T23:59:59.999+08:00');
const during = new Date('2025-03-15T12:00:00+08:00');
const atEnd = new Date('2025-03-20T00:00:00+08:00');

describe('campaignStatus', () => {
  it.each([
    ['draft', before, 'draft'],
    ['draft', atEnd, 'draft'],
    ['published', before, 'scheduled'],
    ['published', new Date(window.startAt), 'live'],
    ['published', during, 'live'],
    ['published', atEnd, 'ended'],
    ['paused', during, 'paused'],
    ['paused', atEnd, 'ended'],
    ['ended', during, 'ended'],
    [undefined, during, 'live'],
    [undefined, atEnd, 'ended'],
  ] as const)('%s at %s is %s', (stored, now, status) => {
    expect(campaignStatus(stored, window, now)).toBe(status);
  });
});

describe('planStatusChange', () => {
  it.each([
    ['draft', 'draft', 'live', { kind: 'publish' }],
    ['scheduled', 'published', 'live', { kind: 'unchanged' }],
    ['live', 'published', 'live', { kind: 'unchanged' }],
    ['paused', 'paused', 'live', { kind: 'set', from: 'paused', to: 'published' }],
    ['live', 'published', 'paused', { kind: 'set', from: 'published', to: 'paused' }],
    ['scheduled', 'published', 'paused', { kind: 'set', from: 'published', to: 'paused' }],
    ['paused', 'paused', 'paused', { kind: 'unchanged' }],
    ['live', undefined, 'ended', { kind: 'set', from: undefined, to: 'ended' }],
    ['paused', 'paused', 'ended', { kind: 'set', from: 'paused', to: 'ended' }],
    ['ended', 'ended', 'ended', { kind: 'unchanged' }],
  ] as const)('%s (stored %s) → %s', (current, stored, target, change) => {
    expect(planStatusChange(current, stored, target)).toEqual(change);
  });

  it.each([
    ['draft', 'paused'],
    ['draft', 'ended'],
    ['ended', 'live'],
    ['ended', 'paused'],
  ] as const)('refuses %s → %s in Chinese', (current, target) => {
    const change = planStatusChange(current, current === 'draft' ? 'draft' : 'ended', target);
    expect(change.kind).toBe('refused');
    if (change.kind === 'refused') expect(change.message).toMatch(/[\u4e00-\u9fa5]/);
  });
});

it('refuses to publish once the end has passed', () => {
  expect(publishRefusal(window, during)).toBeNull();
  expect(publishRefusal(window, atEnd)).toContain('活动结束时间已过');
});

it('stamps every save after the version it replaces, even within one millisecond', () => {
  const v1 = new Date('2025-03-10T10:00:00.000Z');
  expect(nextVersion(v1, new Date('2025-03-10T10:00:05.000Z')).toISOString()).toBe(
    '2025-03-10T10:00:05.000Z',
  );
  expect(nextVersion(v1, v1).getTime()).toBe(v1.getTime() + 1);
  expect(nextVersion(v1, new Date(v1.getTime() - 5000)).getTime()).toBe(v1.getTime() + 1);
});
