import { chooseGroup, groupPoolAlerts } from '../../../../cloudfunctions/_shared/domain/group';
import type { GroupQr } from '../../../../cloudfunctions/_shared/domain/group';

const NOW = new Date('2025-03-10T04:00:00Z'); // 12:00 Shanghai
const HOUR = 60 * 60 * 1000;

function group(id: string, change: Partial<GroupQr> = {}): GroupQr {
  return {
    id,
    name: `会员群${id}`,
    qrUrl: `cloud://env/groups/${id}.png`,
    expiresAt: new Date(NOW.getTime() + 5 * 24 * HOUR),
    capacity: 180,
    handedOut: 0,
    active: true,
    createdAt: new Date('2025-03-01T00:00:00Z'),
    ...change,
  };
}

describe('chooseGroup', () => {
  it('hands out the oldest group with room first, whatever the list order', () => {
    const older = group('a', { createdAt: new Date('2025-03-01T00:00:00Z') });
    const newer = group('b', { createdAt: new Date('2025-03-05T00:00:00Z') });
    expect(chooseGroup([newer, older], NOW)?.id).toBe('a');
  });

  it('moves on when a group is full, inactive or its QR expired', () => {
    const groups = [
      group('full', { createdAt: new Date('2025-03-01T00:00:00Z'), handedOut: 180 }),
      group('off', { createdAt: new Date('2025-03-02T00:00:00Z'), active: false }),
      group('old', { createdAt: new Date('2025-03-03T00:00:00Z'), expiresAt: NOW }),
      group('ok', { createdAt: new Date('2025-03-04T00:00:00Z'), handedOut: 179 }),
    ];
    expect(chooseGroup(groups, NOW)?.id).toBe('ok');
  });

  it('has nothing to hand out when no group qualifies', () => {
    expect(chooseGroup([group('a', { handedOut: 180 })], NOW)).toBeNull();
    expect(chooseGroup([], NOW)).toBeNull();
  });
});

describe('groupPoolAlerts', () => {
  it('is quiet for a healthy pool', () => {
    expect(groupPoolAlerts([group('a', { handedOut: 100 }), group('b')], NOW)).toEqual([]);
  });

  it('warns when 80 % of the live capacity is used', () => {
    const groups = [group('a', { handedOut: 180 }), group('b', { handedOut: 108 })]; // 288 / 360
    expect(groupPoolAlerts(groups, NOW)).toEqual([
      {
        kind: 'POOL_NEARLY_FULL',
        message: '群活码池已使用 80%（288/360），请尽快上传新的群二维码',
      },
    ]);
    const below = [group('a', { handedOut: 180 }), group('b', { handedOut: 107 })];
    expect(groupPoolAlerts(below, NOW)).toEqual([]);
  });

  it('counts only active, unexpired groups in the pool', () => {
    const busy = [group('a', { handedOut: 150 }), group('c', { handedOut: 150 })]; // 300 / 360
    const alert = [expect.objectContaining({ kind: 'POOL_NEARLY_FULL' })];
    expect(groupPoolAlerts(busy, NOW)).toEqual(alert);
    // Retired or expired QRs admit nobody, so their capacity must not dilute the ratio.
    const retired = group('b', { active: false, capacity: 1000 });
    const expired = group('d', { expiresAt: NOW, capacity: 1000 });
    expect(groupPoolAlerts([...busy, retired], NOW)).toEqual(alert);
    expect(groupPoolAlerts([...busy, expired], NOW)).toEqual([
      ...alert,
      expect.objectContaining({ kind: 'QR_EXPIRED', groupId: 'd' }),
    ]);
  });

  it('treats a pool without any live group as full', () => {
    expect(groupPoolAlerts([], NOW)).toEqual([
      { kind: 'POOL_NEARLY_FULL', message: expect.stringContaining('没有可用的群') },
    ]);
  });

  it('warns about a QR expiring within 24 hours, with its Shanghai time', () => {
    const soon = group('s', { expiresAt: new Date(NOW.getTime() + 24 * HOUR) }); // 3月11日 12:00
    const later = group('l', { expiresAt: new Date(NOW.getTime() + 24 * HOUR + 1) });
    expect(groupPoolAlerts([soon, later], NOW)).toEqual([
      {
        kind: 'QR_EXPIRING',
        groupId: 's',
        message: '「会员群s」的群二维码将于 3月11日 12:00 过期，请提前更换',
      },
    ]);
  });

  it('reports an active QR that already expired', () => {
    const expired = group('x', { expiresAt: new Date('2025-03-09T16:00:00Z') });
    const live = group('y');
    expect(groupPoolAlerts([expired, live], NOW)).toEqual([
      {
        kind: 'QR_EXPIRED',
        groupId: 'x',
        message: '「会员群x」的群二维码已于 3月10日 00:00 过期，请上传新的二维码',
      },
    ]);
  });
});
