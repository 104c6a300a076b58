import { DEMO_ADMIN_OPENID } from '../../emulator/seed';
import { data, errorCode, useBackend } from '../support/emulator';

const backend = useBackend();

describe('session.enter', () => {
  it('says isNew the first time and not the second, with the same invite code', async () => {
    const first = data(await backend.api('visitor-1', 'session.enter', { channel: 'poster' }));
    expect(first.isNew).toBe(true);
    expect(first.inviteCode).toMatch(/^[A-Z0-9]{4,12}$/);
    expect(first.invite).toEqual({ status: 'none' });

    expect(first.claimed).toBe(false);

    const second = data(await backend.api('visitor-1', 'session.enter', {}));
    expect(second).toEqual({
      inviteCode: first.inviteCode,
      isNew: false,
      invite: { status: 'none' },
      claimed: false,
      profile: { nickname: null, avatarUrl: null, avatarFileId: null },
    });
  });

  it('tells a returning visitor that they already claimed', async () => {
    await backend.api('visitor-1', 'session.enter', {});
    data(await backend.api('visitor-1', 'magnet.claim', { requestId: 'claim-visitor-1' }));
    expect(data(await backend.api('visitor-1', 'session.enter', {})).claimed).toBe(true);
  });

  it('gives different users different invite codes', async () => {
    const codes = new Set<string>();
    for (let i = 0; i < 20; i++) {
      codes.add(data(await backend.api(`visitor-${i}`, 'session.enter', {})).inviteCode);
    }
    expect(codes.size).toBe(20);
  });

  it('counts a burst of concurrent first visits of one user as exactly one new user', async () => {
    const answers = await Promise.all(
      Array.from({ length: 10 }, () => backend.api('burst-user', 'session.enter', {})),
    );
    const entered = answers.map(data);
    expect(entered.filter((a) => a.isNew)).toHaveLength(1);
    expect(new Set(entered.map((a) => a.inviteCode)).size).toBe(1);
    expect(backend.emulator.store.count('users')).toBe(1);
  });

  it('refuses a caller without an openid', async () => {
    const before = backend.snapshot();
    const answer = await backend.api('', 'session.enter', {});
    expect(errorCode(answer)).toBe('UNAUTHENTICATED');
    expect(backend.snapshot()).toEqual(before);
  });

  it.each([
    ['an unknown action', { action: 'session.leave' }],
    ['no action', { inviteCode: 'ABCDEFGH' }],
    ['an invite code with symbols', { action: 'session.enter', inviteCode: 'AB-<script>' }],
    ['an over-long scene', { action: 'session.enter', scene: 'x'.repeat(33) }],
    ['a channel of the wrong type', { action: 'session.enter', channel: 42 }],
    ['an unexpected field', { action: 'session.enter', openid: 'someone-else' }],
  ])('answers BAD_REQUEST with the zod issues for %s, and writes nothing', async (_name, event) => {
    const before = backend.snapshot();
    const { result } = await backend.emulator.invoke('api', event, { openid: 'visitor-x' });
    const answer = result as { ok: boolean; error?: { code: string; issues?: unknown[] } };
    expect(answer.ok).toBe(false);
    expect(answer.error?.code).toBe('BAD_REQUEST');
    expect(answer.error?.issues?.length).toBeGreaterThan(0);
    expect(backend.snapshot()).toEqual(before);
  });

  it('ignores the userInfo WeChat adds to Mini Program calls: identity comes from the context', async () => {
    const { result } = await backend.emulator.invoke(
      'api',
      { action: 'session.enter', userInfo: { appId: 'wx1', openId: 'spoofed' } },
      { openid: 'real-user' },
    );
    expect((result as { ok: boolean }).ok).toBe(true);
    const users = (backend.snapshot() as { collections: Record<string, Array<{ _id: string }>> })
      .collections.users;
    expect(users.map((u) => u._id)).toEqual(['real-user']);
  });

  it('gives two concurrent invocations each their own OPENID', async () => {
    backend.emulator.faults.latencyMs = 5; // interleave the two calls' database round trips
    const [a, b] = await Promise.all([
      backend.api('alice', 'session.enter', {}),
      backend.api('bob', 'session.enter', {}),
    ]);
    backend.emulator.faults.latencyMs = 0;
    const users = (
      backend.snapshot() as {
        collections: Record<string, Array<{ _id: string; inviteCode: string }>>;
      }
    ).collections.users;
    expect(users.find((u) => u._id === 'alice')?.inviteCode).toBe(data(a).inviteCode);
    expect(users.find((u) => u._id === 'bob')?.inviteCode).toBe(data(b).inviteCode);
  });
});

describe('campaign.get', () => {
  it('returns the public view of the seeded demo campaign: no weights, no stock', async () => {
    const campaign = data(await backend.api('visitor-1', 'campaign.get'));
    expect(campaign.title).toBeTruthy();
    expect(campaign.wheel.sectors.length).toBeGreaterThanOrEqual(6);
    expect(campaign.wheel.sectors.length).toBeLessThanOrEqual(12);
    expect(campaign.blackCard.invitesRequired).toBe(3);
    // the hero image is stored in cloud storage; the phone gets a temporary URL
    expect(campaign.magnet.image).toMatch(/^http.*hero/);
    const text = JSON.stringify(campaign);
    expect(text).not.toMatch(/"weight"|"stock"|"fallback"/);
  });

  it('answers CAMPAIGN_NOT_ACTIVE when nothing is seeded', async () => {
    await backend.emulator.reset({ seed: false });
    expect(errorCode(await backend.api('visitor-1', 'campaign.get'))).toBe('CAMPAIGN_NOT_ACTIVE');
  });
});

describe('admin.whoami', () => {
  it('tells the seeded owner who they are', async () => {
    expect(data(await backend.admin(DEMO_ADMIN_OPENID, 'admin.whoami'))).toEqual({
      role: 'owner',
      name: '演示运营',
      store: '山野茶事 · 总店',
    });
  });

  it('refuses a visitor with FORBIDDEN and an empty openid with UNAUTHENTICATED', async () => {
    expect(errorCode(await backend.admin('visitor-1', 'admin.whoami'))).toBe('FORBIDDEN');
    expect(errorCode(await backend.admin('', 'admin.whoami'))).toBe('UNAUTHENTICATED');
  });
});

describe('unexpected faults', () => {
  it('answer INTERNAL with the request id, never a stack trace, when the database fails', async () => {
    const before = backend.snapshot();
    backend.emulator.faults.failureRate = 1;
    const call = await backend.emulator.invoke(
      'api',
      { action: 'session.enter' },
      { openid: 'visitor-1' },
    );
    backend.emulator.faults.failureRate = 0;
    const answer = call.result as {
      ok: boolean;
      error: { code: string; message: string; requestId: string };
    };
    expect(answer.ok).toBe(false);
    expect(answer.error.code).toBe('INTERNAL');
    expect(answer.error.requestId).toBe(call.requestId);
    expect(JSON.stringify(answer)).not.toMatch(/\bat .*\(|Error:|errCode|-50\d{4}/);
    // the details went to the function's log, with the request id to find them
    const logged = backend.emulator.functionLogs.filter((l) => l.requestId === call.requestId);
    expect(logged).toEqual([
      expect.objectContaining({ level: 'error', text: expect.stringContaining(call.requestId) }),
    ]);
    expect(logged[0].text).toMatch(/system error/);
    expect(backend.snapshot()).toEqual(before);
  });
});
