/** SPEC §3 Group QR (群活码): sticky, atomic capacity, expiry, the fallback contact. */
import {
  OWNER,
  data,
  enter,
  enterAndClaim,
  errorCode,
  useBackend,
  runCron,
} from '../support/emulator';

const backend = useBackend();

const HOUR = 60 * 60 * 1000;

/** Replaces the seeded pool with `count` fresh groups of `capacity`. */
async function pool(count: number, capacity: number, expiresInMs = 5 * 24 * HOUR) {
  const now = backend.emulator.clock.now();
  for (const id of ['demo-group-1', 'demo-group-2', 'demo-group-3']) {
    const seeded = await backend.admin(OWNER, 'groups.upsert', {
      id,
      name: id,
      qrUrl: `cloud://local/groups/${id}.svg`,
      expiresAt: new Date(now + HOUR).toISOString(),
      active: false,
    });
    data(seeded);
  }
  const ids: string[] = [];
  for (let i = 0; i < count; i++) {
    const group = data(
      await backend.admin(OWNER, 'groups.upsert', {
        name: `测试群 ${i + 1}`,
        qrUrl: `https://example.com/qr-${i}.png`,
        expiresAt: new Date(now + expiresInMs).toISOString(),
        capacity,
      }),
    );
    ids.push(group.id);
    await backend.emulator.advanceClock(1); // distinct createdAt: a stable pool order
  }
  return ids;
}

describe('group.get', () => {
  it('places 6 users in 3 groups of 2 and gives the 7th the fallback contact', async () => {
    const ids = await pool(3, 2);
    const users = Array.from({ length: 7 }, (_, i) => `member-${i}`);
    for (const user of users) await enterAndClaim(backend, user);

    backend.emulator.faults.latencyMs = 1;
    const answers = await Promise.all(users.map((user) => backend.api(user, 'group.get')));
    backend.emulator.faults.latencyMs = 0;

    const placed = answers.filter((a) => a.ok).map((a) => (a.ok ? a.data.groupId : ''));
    expect(placed).toHaveLength(6);
    for (const id of ids) expect(placed.filter((g) => g === id)).toHaveLength(2);
    const refused = answers.find((a) => !a.ok);
    expect(refused && !refused.ok && refused.error).toMatchObject({
      code: 'GROUP_UNAVAILABLE',
      // a URL the phone can show, not the stored cloud fileID
      fallbackContact: {
        title: expect.any(String),
        qrUrl: expect.stringMatching(/^http.*contact-qr/),
      },
    });
    const stats = data(await backend.admin(OWNER, 'stats.overview'));
    expect(stats.groups.filter((g) => ids.includes(g.id)).map((g) => g.handedOut)).toEqual([
      2, 2, 2,
    ]);
    expect(stats.funnel.find((s) => s.key === 'groupHandouts')?.count).toBe(6);
  });

  it('hands the same group again to a user who asks twice, or many times at once', async () => {
    await pool(2, 5);
    await enterAndClaim(backend, 'member');
    const first = data(await backend.api('member', 'group.get'));
    const again = await Promise.all(
      Array.from({ length: 8 }, () => backend.api('member', 'group.get')),
    );
    expect(new Set(again.map((a) => data(a).groupId))).toEqual(new Set([first.groupId]));
    const stats = data(await backend.admin(OWNER, 'stats.overview'));
    expect(stats.groups.reduce((sum, g) => sum + g.handedOut, 0)).toBe(1);
  });

  it('counts one seat when a new user asks many times at once', async () => {
    await pool(2, 5);
    await enterAndClaim(backend, 'member');
    backend.emulator.faults.latencyMs = 1;
    const answers = await Promise.all(
      Array.from({ length: 8 }, () => backend.api('member', 'group.get')),
    );
    backend.emulator.faults.latencyMs = 0;
    expect(new Set(answers.map((a) => data(a).groupId)).size).toBe(1);
    const stats = data(await backend.admin(OWNER, 'stats.overview'));
    expect(stats.groups.reduce((sum, g) => sum + g.handedOut, 0)).toBe(1);
  });

  it('skips expired QRs, and moves a user on when their group’s QR has expired', async () => {
    const [soon] = await pool(1, 10, 2 * HOUR);
    const [later] = await pool(1, 10, 5 * 24 * HOUR); // behind `soon` in pool order
    await enterAndClaim(backend, 'early');
    expect(data(await backend.api('early', 'group.get')).groupId).toBe(soon);

    await backend.emulator.advanceClock(3 * HOUR);
    await enterAndClaim(backend, 'late');
    expect(data(await backend.api('late', 'group.get')).groupId).toBe(later);
    expect(data(await backend.api('early', 'group.get')).groupId).toBe(later);
  });

  it('requires the magnet claim first (groups.after = claim), and records "joined" once', async () => {
    await enter(backend, 'newcomer');
    expect(errorCode(await backend.api('newcomer', 'group.get'))).toBe('FORBIDDEN');
    expect(errorCode(await backend.api('newcomer', 'group.confirmJoined'))).toBe('NOT_FOUND');
    data(await backend.api('newcomer', 'magnet.claim', { requestId: 'claim-newcomer' }));
    data(await backend.api('newcomer', 'group.get'));
    const joined = data(await backend.api('newcomer', 'group.confirmJoined'));
    await backend.emulator.advanceClock(60_000);
    expect(data(await backend.api('newcomer', 'group.confirmJoined'))).toEqual(joined);
    expect(data(await backend.api('newcomer', 'blackcard.get')).joinedGroup).toBe(true);
  });

  it('refuses a QR expiry beyond WeChat’s 7 days or in the past', async () => {
    const now = backend.emulator.clock.now();
    for (const expiresAt of [now - HOUR, now + 8 * 24 * HOUR]) {
      const before = backend.snapshot();
      const answer = await backend.admin(OWNER, 'groups.upsert', {
        name: 'x',
        qrUrl: 'https://example.com/x.png',
        expiresAt: new Date(expiresAt).toISOString(),
      });
      expect(errorCode(answer)).toBe('BAD_REQUEST');
      expect(backend.snapshot()).toEqual(before);
    }
  });

  it('raises alerts for a pool ≥ 80 % used and a QR expiring within 24 h', async () => {
    const [full] = await pool(1, 5, 20 * HOUR);
    for (let i = 0; i < 4; i++) {
      await enterAndClaim(backend, `m${i}`);
      data(await backend.api(`m${i}`, 'group.get'));
    }
    const run = await runCron(backend);
    expect(run).toMatchObject({ ok: true });
    const alerts = data(await backend.admin(OWNER, 'stats.overview')).alerts;
    expect(alerts.map((a) => a.kind).sort()).toEqual(['POOL_NEARLY_FULL', 'QR_EXPIRING']);
    expect(alerts.find((a) => a.kind === 'QR_EXPIRING')?.groupId).toBe(full);
    // Running again the same day raises nothing new.
    await runCron(backend);
    expect(data(await backend.admin(OWNER, 'stats.overview')).alerts).toHaveLength(2);

    // After expiry the hourly job retires the QR.
    await backend.emulator.advanceClock(21 * HOUR);
    const retired = await runCron(backend);
    expect(retired).toMatchObject({ ok: true, data: { groupsRetired: 1 } });
  });
});
