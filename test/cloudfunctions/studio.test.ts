/**
 * Operator studio (issue 9), through the real functions: the lifecycle (draft → scheduled → live
 * → paused → ended, one campaign in the visitor slot), versioned saves (a stale save is a
 * CONFLICT), bad configs writing nothing, stock moved by deltas while people spin, and who may
 * do any of it.
 */
import { DEMO_ASSUMPTIONS } from '../../cloudfunctions/_shared/demo-assumptions';
import { CAMPAIGN_CACHE_TTL_MS } from '../../cloudfunctions/_shared/limits';
import {
  OWNER,
  STAFF,
  data,
  enter,
  enterAndClaim,
  errorCode,
  requestId,
  storedDocs,
  useBackend,
} from '../support/emulator';

const backend = useBackend();

type Config = Record<string, any>;
const DAY = 24 * 60 * 60 * 1000;
const DEMO = 'demo-opening';

const docs = (collection: string) => storedDocs(backend, collection);
const activeIds = () =>
  docs('campaigns')
    .filter((c) => c.active)
    .map((c) => c._id);

/** Visitors' containers cache the campaign for a few seconds: let an operator's change reach them. */
const settle = () => backend.emulator.advanceClock(CAMPAIGN_CACHE_TTL_MS);

async function cloneDemo(): Promise<{ id: string; config: Config; updatedAt: string }> {
  const created = data(await backend.admin(OWNER, 'campaign.create', { cloneOf: DEMO }));
  const loaded = data(await backend.admin(OWNER, 'campaign.get', { id: created.id }));
  expect(loaded.updatedAt).toBe(created.updatedAt);
  return { id: created.id, config: loaded.config as Config, updatedAt: loaded.updatedAt };
}

const setStatus = (id: string, status: 'live' | 'paused' | 'ended') =>
  backend.admin(OWNER, 'campaign.setStatus', { id, status });

describe('the lifecycle', () => {
  it('clones the demo as a draft that visitors do not see, until it is published', async () => {
    const clone = await cloneDemo();
    expect(clone.id).toBe('demo-opening-2');
    expect(clone.config.title).toBe('山野茶事 · 新店开业 会员招募季（副本）');
    expect(data(await backend.admin(OWNER, 'campaign.get', { id: clone.id }))).toMatchObject({
      status: 'draft',
      active: false,
    });
    await enter(backend, 'visitor');
    expect(data(await backend.api('visitor', 'campaign.get')).id).toBe(DEMO);

    expect(data(await setStatus(clone.id, 'live'))).toEqual({
      id: clone.id,
      status: 'live',
      active: true,
    });
    expect(activeIds()).toEqual([clone.id]);
    // the campaign that held the slot is over, kept for history
    expect(data(await backend.admin(OWNER, 'campaign.get', { id: DEMO }))).toMatchObject({
      status: 'ended',
      active: false,
    });
    await settle();
    const seen = data(await backend.api('visitor', 'campaign.get'));
    expect(seen).toMatchObject({ id: clone.id, status: 'live', title: clone.config.title });
  });

  it('pauses: every visitor action is refused kindly; resumes: they continue where they were', async () => {
    const { session } = await enterAndClaim(backend, 'visitor');
    expect(data(await setStatus(DEMO, 'paused')).status).toBe('paused');
    await settle();

    // the page can still read the campaign, to show its closed state
    expect(data(await backend.api('visitor', 'campaign.get'))).toMatchObject({
      status: 'paused',
      qualifyingAction: null,
    });
    const before = backend.snapshot();
    for (const [action, params] of [
      ['magnet.claim', { requestId: requestId() }],
      ['lottery.spin', { requestId: requestId() }],
      ['lottery.status', {}],
      ['blackcard.get', {}],
      ['group.get', {}],
    ] as const) {
      const answer = await backend.api('visitor', action, params as never);
      expect(answer).toMatchObject({
        ok: false,
        error: { code: 'CAMPAIGN_NOT_ACTIVE', message: '活动暂停中，请稍后再来' },
      });
    }
    expect(backend.snapshot()).toEqual(before);

    expect(data(await setStatus(DEMO, 'live')).status).toBe('live');
    await settle();
    expect(data(await backend.api('visitor', 'campaign.get')).status).toBe('live');
    data(await backend.api('visitor', 'lottery.spin', { requestId: requestId() }));
    // a friend arriving after the pause still counts
    await enterAndClaim(backend, 'friend', session.inviteCode);
    expect(data(await backend.api('visitor', 'blackcard.get')).verified).toBe(1);
  });

  it('ends: history from then on, neither resumed nor edited', async () => {
    await enter(backend, 'visitor');
    expect(data(await setStatus(DEMO, 'ended')).status).toBe('ended');
    await settle();
    expect(
      errorCode(await backend.api('visitor', 'lottery.spin', { requestId: requestId() })),
    ).toBe('CAMPAIGN_NOT_ACTIVE');
    expect(data(await backend.api('visitor', 'campaign.get')).status).toBe('ended');
    // its black card page still opens (read-only after the end)
    expect((await backend.api('visitor', 'blackcard.get')).ok).toBe(true);
    // a friend arriving now is told the campaign ended: their invite can never count
    const { inviteCode } = data(await backend.api('visitor', 'session.enter', {}));
    expect(data(await backend.api('late-friend', 'session.enter', { inviteCode })).invite).toEqual({
      status: 'rejected',
      reason: 'CAMPAIGN_ENDED',
    });

    const before = backend.snapshot();
    const resumed = await setStatus(DEMO, 'live');
    expect(resumed).toMatchObject({ ok: false, error: { code: 'CONFLICT' } });
    const loaded = data(await backend.admin(OWNER, 'campaign.get'));
    const edit = await backend.admin(OWNER, 'campaign.update', {
      id: DEMO,
      config: loaded.config as Config,
      expectedUpdatedAt: loaded.updatedAt,
    });
    expect(errorCode(edit)).toBe('CONFLICT');
    expect(backend.snapshot()).toEqual(before);
  });

  it('is scheduled before its start and live from it, with nobody flipping it', async () => {
    const clone = await cloneDemo();
    const start = Date.now() + 3 * DAY;
    clone.config.startAt = new Date(start).toISOString();
    clone.config.endAt = new Date(start + 10 * DAY).toISOString();
    clone.config.magnet.claimWindow = {
      startAt: clone.config.startAt,
      endAt: clone.config.endAt,
    };
    for (const t of clone.config.couponTemplates) {
      if (t.validUntil) t.validUntil = clone.config.endAt;
    }
    data(
      await backend.admin(OWNER, 'campaign.update', {
        id: clone.id,
        config: clone.config,
        expectedUpdatedAt: clone.updatedAt,
      }),
    );
    expect(data(await setStatus(clone.id, 'live')).status).toBe('scheduled');
    await enter(backend, 'early');
    await settle();
    expect(data(await backend.api('early', 'campaign.get')).status).toBe('scheduled');
    expect(errorCode(await backend.api('early', 'magnet.claim', { requestId: requestId() }))).toBe(
      'CAMPAIGN_NOT_ACTIVE',
    );

    await backend.emulator.advanceClock(3 * DAY);
    expect(data(await backend.api('early', 'campaign.get')).status).toBe('live');
    expect(data(await backend.admin(OWNER, 'campaign.list')).campaigns[0]).toMatchObject({
      id: clone.id,
      status: 'live',
    });
    await backend.emulator.advanceClock(10 * DAY);
    expect(data(await backend.api('early', 'campaign.get')).status).toBe('ended');
  });

  it('answers a repeated request as the first, and refuses what makes no sense', async () => {
    expect(data(await setStatus(DEMO, 'paused')).status).toBe('paused');
    expect(data(await setStatus(DEMO, 'paused')).status).toBe('paused');
    expect(data(await setStatus(DEMO, 'live')).status).toBe('live');
    expect(data(await setStatus(DEMO, 'live')).status).toBe('live');

    const clone = await cloneDemo();
    const before = backend.snapshot();
    for (const status of ['paused', 'ended'] as const) {
      const answer = await setStatus(clone.id, status);
      expect(answer).toMatchObject({ ok: false, error: { code: 'CONFLICT' } });
    }
    expect(errorCode(await setStatus('no-such-campaign', 'live'))).toBe('NOT_FOUND');
    expect(backend.snapshot()).toEqual(before);
  });

  it('never publishes a draft whose end has passed', async () => {
    const clone = await cloneDemo();
    await backend.emulator.advanceClock(40 * DAY);
    const before = backend.snapshot();
    expect(await setStatus(clone.id, 'live')).toMatchObject({
      ok: false,
      error: { code: 'CONFLICT', message: expect.stringContaining('活动结束时间已过') },
    });
    expect(backend.snapshot()).toEqual(before);
  });

  it('clones an ended campaign to start tomorrow, every date moved alike', async () => {
    await backend.emulator.advanceClock(40 * DAY);
    const now = backend.emulator.clock.now();
    const source = data(await backend.admin(OWNER, 'campaign.get', { id: DEMO })).config as Config;
    const clone = await cloneDemo();
    const shift = Date.parse(clone.config.startAt) - Date.parse(source.startAt);
    expect(Date.parse(clone.config.startAt)).toBeGreaterThan(now);
    expect(Date.parse(clone.config.startAt) - now).toBeLessThanOrEqual(DAY);
    expect(Date.parse(clone.config.endAt) - Date.parse(source.endAt)).toBe(shift);
    expect(Date.parse(clone.config.magnet.claimWindow.endAt)).toBe(
      Date.parse(source.magnet.claimWindow.endAt) + shift,
    );
    expect(data(await setStatus(clone.id, 'live')).status).toBe('scheduled');
  });

  it('lets exactly one of two drafts published at the same moment take the slot', async () => {
    const a = await cloneDemo();
    const b = await cloneDemo();
    backend.emulator.faults.latencyMs = 1;
    const answers = await Promise.all([setStatus(a.id, 'live'), setStatus(b.id, 'live')]);
    backend.emulator.faults.latencyMs = 0;
    expect(answers.filter((x) => x.ok)).toHaveLength(1);
    expect(answers.filter((x) => errorCode(x) === 'CONFLICT')).toHaveLength(1);
    expect(activeIds()).toHaveLength(1);
    const winner = answers[0].ok ? a.id : b.id;
    expect(activeIds()).toEqual([winner]);
    // the loser is still a draft, and can be published next
    const loser = winner === a.id ? b.id : a.id;
    expect(data(await setStatus(loser, 'live')).active).toBe(true);
    expect(activeIds()).toEqual([loser]);
  });

  it('lists every campaign, newest first, with its figures from its counters', async () => {
    await enterAndClaim(backend, 'visitor');
    await enter(backend, 'walk-in');
    const clone = await cloneDemo();
    const { campaigns } = data(await backend.admin(OWNER, 'campaign.list'));
    expect(campaigns.map((c) => [c.id, c.status, c.active])).toEqual([
      [clone.id, 'draft', false],
      [DEMO, 'live', true],
    ]);
    expect(campaigns[1].figures).toMatchObject({ visitors: 2, claims: 1 });
    expect(campaigns[0].figures).toMatchObject({ visitors: 0, claims: 0 });
    expect(campaigns[0].clonedFrom).toBe(DEMO);
  });
});

describe('saving a config', () => {
  it('saves on the version the operator loaded; a stale save gets CONFLICT and writes nothing', async () => {
    const clone = await cloneDemo();
    clone.config.title = '夏日第二季';
    const first = data(
      await backend.admin(OWNER, 'campaign.update', {
        id: clone.id,
        config: clone.config,
        expectedUpdatedAt: clone.updatedAt,
      }),
    );
    expect(Date.parse(first.updatedAt)).toBeGreaterThan(Date.parse(clone.updatedAt));

    // a second editor still holding the first version
    const before = backend.snapshot();
    const stale = await backend.admin(OWNER, 'campaign.update', {
      id: clone.id,
      config: { ...clone.config, title: '别人的标题' },
      expectedUpdatedAt: clone.updatedAt,
    });
    expect(stale).toMatchObject({
      ok: false,
      error: { code: 'CONFLICT', message: expect.stringContaining('请重新载入') },
    });
    expect(backend.snapshot()).toEqual(before);
    const loaded = data(await backend.admin(OWNER, 'campaign.get', { id: clone.id }));
    expect((loaded.config as Config).title).toBe('夏日第二季');
    expect(loaded.updatedAt).toBe(first.updatedAt);
  });

  it('lets exactly one of two editors saving the same version at the same moment win', async () => {
    const clone = await cloneDemo();
    backend.emulator.faults.latencyMs = 1;
    const saves = await Promise.all(
      ['甲', '乙', '丙'].map((who) =>
        backend.admin(OWNER, 'campaign.update', {
          id: clone.id,
          config: { ...clone.config, title: `${who}的标题` },
          expectedUpdatedAt: clone.updatedAt,
        }),
      ),
    );
    backend.emulator.faults.latencyMs = 0;
    expect(saves.filter((s) => s.ok)).toHaveLength(1);
    expect(saves.filter((s) => errorCode(s) === 'CONFLICT')).toHaveLength(2);
  });

  it('tells two saves apart even within one millisecond (a frozen clock)', async () => {
    const clone = await cloneDemo();
    await backend.emulator.freezeClock();
    const first = data(
      await backend.admin(OWNER, 'campaign.update', {
        id: clone.id,
        config: clone.config,
        expectedUpdatedAt: clone.updatedAt,
      }),
    );
    expect(first.updatedAt).not.toBe(clone.updatedAt);
    expect(
      errorCode(
        await backend.admin(OWNER, 'campaign.update', {
          id: clone.id,
          config: clone.config,
          expectedUpdatedAt: clone.updatedAt,
        }),
      ),
    ).toBe('CONFLICT');
  });

  it('refuses a bad config with Chinese problems at their fields, and writes nothing', async () => {
    const clone = await cloneDemo();
    const broken = structuredClone(clone.config);
    broken.title = '';
    broken.lottery.prizes[0].stock = -1;
    broken.couponTemplates[1].amount = 99_999;
    broken.channels[0].code = 'Poster!';
    const before = backend.snapshot();
    for (const answer of [
      await backend.admin(OWNER, 'campaign.update', {
        id: clone.id,
        config: broken,
        expectedUpdatedAt: clone.updatedAt,
      }),
      await backend.admin(OWNER, 'campaign.create', { config: { ...broken, id: 'fresh' } }),
      await backend.admin(OWNER, 'campaign.simulate', { config: broken }),
    ]) {
      expect(answer.ok).toBe(false);
      if (answer.ok) continue;
      expect(answer.error.code).toBe('BAD_REQUEST');
      const issues = Object.fromEntries(
        (answer.error.issues ?? []).map((i) => [i.path, i.message]),
      );
      expect(issues).toMatchObject({
        'config.title': '活动标题不能为空',
        'config.lottery.prizes.0.stock': '库存须为不小于 0 的整数，留空表示不限量',
        'config.couponTemplates.1.amount': '减免金额须小于使用门槛（5000 分）',
        'config.channels.0.code': '渠道代码须为 1–16 位小写字母、数字、_ 或 -',
      });
    }
    expect(backend.snapshot()).toEqual(before);
  });

  it('keeps a campaign its id, and refuses a new campaign an id in use', async () => {
    const clone = await cloneDemo();
    const before = backend.snapshot();
    const renamed = await backend.admin(OWNER, 'campaign.update', {
      id: clone.id,
      config: { ...clone.config, id: 'other-id' },
      expectedUpdatedAt: clone.updatedAt,
    });
    expect(renamed).toMatchObject({ ok: false, error: { code: 'BAD_REQUEST' } });
    const taken = await backend.admin(OWNER, 'campaign.create', { config: clone.config });
    expect(taken).toMatchObject({
      ok: false,
      error: { code: 'BAD_REQUEST', issues: [{ path: 'config.id' }] },
    });
    expect(backend.snapshot()).toEqual(before);
  });

  it('answers a save with the warnings of its config', async () => {
    const clone = await cloneDemo();
    clone.config.invite.whenClaimClosed = 'none';
    const saved = data(
      await backend.admin(OWNER, 'campaign.update', {
        id: clone.id,
        config: clone.config,
        expectedUpdatedAt: clone.updatedAt,
      }),
    );
    expect(saved.warnings.map((w) => [w.code, w.field])).toContainEqual([
      'INVITES_STOP',
      'invite.whenClaimClosed',
    ]);
  });
});

describe('campaign.adjustStock', () => {
  const stockOf = async (prizeId: string) =>
    data(await backend.admin(OWNER, 'stats.overview')).prizes.find((p) => p.id === prizeId)?.stock;

  it('moves a prize by a delta in the config and in the shards', async () => {
    const answer = data(
      await backend.admin(OWNER, 'campaign.adjustStock', {
        id: DEMO,
        prizeId: 'tumbler',
        delta: 10,
      }),
    );
    expect(answer).toMatchObject({ prizeId: 'tumbler', stock: 30 });
    expect(await stockOf('tumbler')).toBe(30);
    const config = data(await backend.admin(OWNER, 'campaign.get')).config as Config;
    expect(config.lottery.prizes[0].stock).toBe(30);
  });

  it('adds every one of many concurrent deltas, while people spin the prize away', async () => {
    const favour = data(await backend.admin(OWNER, 'campaign.get')).config as Config;
    favour.lottery.prizes[0].weight = 1_000_000;
    data(await backend.admin(OWNER, 'campaign.put', { config: favour }));
    await settle();
    const spinners = Array.from({ length: 40 }, (_, i) => `spinner-${i}`);
    for (const user of spinners) await enter(backend, user);

    backend.emulator.faults.latencyMs = 1;
    const [adjustments, spins] = await Promise.all([
      Promise.all(
        Array.from({ length: 6 }, () =>
          backend.admin(OWNER, 'campaign.adjustStock', { id: DEMO, prizeId: 'tumbler', delta: 1 }),
        ),
      ),
      Promise.all(
        spinners.map((user) => backend.api(user, 'lottery.spin', { requestId: requestId() })),
      ),
    ]);
    backend.emulator.faults.latencyMs = 0;

    expect(adjustments.filter((a) => !a.ok)).toEqual([]);
    const config = data(await backend.admin(OWNER, 'campaign.get')).config as Config;
    expect(config.lottery.prizes[0].stock).toBe(26);
    // every unit is either won once or still there: none lost, none sold twice
    const won = spins.map(data).filter((s) => s.prize.id === 'tumbler').length;
    const shards = docs('stock').filter((s) => s.prizeId === 'tumbler');
    const sum = (key: string) => shards.reduce((n, s) => n + s[key], 0);
    expect(sum('configured')).toBe(26);
    expect(won + sum('left')).toBe(26);
    for (const shard of shards) {
      expect(shard.left).toBeGreaterThanOrEqual(0);
      expect(shard.left + Object.keys(shard.holders).length).toBe(shard.configured);
    }
    expect(won).toBeGreaterThanOrEqual(20);
  });

  it('refuses a cut below what was won, an unlimited prize and a negative stock, writing nothing', async () => {
    const before = backend.snapshot();
    const refusals = [
      { prizeId: 'tumbler', delta: -21 },
      { prizeId: 'thanks', delta: 5 },
      { prizeId: 'no-such-prize', delta: 1 },
    ];
    for (const params of refusals) {
      const answer = await backend.admin(OWNER, 'campaign.adjustStock', { id: DEMO, ...params });
      expect(['BAD_REQUEST', 'NOT_FOUND']).toContain(errorCode(answer));
    }
    expect(backend.snapshot()).toEqual(before);
  });
});

describe('campaign.simulate', () => {
  it('projects the demo with the demo assumptions against the seeded group pool', async () => {
    const projection = data(
      await backend.admin(OWNER, 'campaign.simulate', { assumptions: DEMO_ASSUMPTIONS }),
    );
    // the demo's 7-day claim window no longer stops invites: a friend's first spin counts
    const codes = projection.warnings.map((w) => w.code);
    expect(codes).toContain('CLAIM_WINDOW_CLOSES');
    expect(codes).not.toContain('INVITES_STOP');
    const lastWeek = projection.days.slice(-7);
    expect(lastWeek.every((d) => d.claims === 0 && d.verified > 0)).toBe(true);
    // three seeded group QR codes of 180 seats
    expect(projection.pool.room).toBe(540);
    expect(codes).toContain('POOL_FILLS');
  });

  it('warns that invites stop when the claim window closes early and nothing else counts', async () => {
    const config = data(await backend.admin(OWNER, 'campaign.get')).config as Config;
    config.invite.whenClaimClosed = 'none';
    const projection = data(
      await backend.admin(OWNER, 'campaign.simulate', { config, assumptions: DEMO_ASSUMPTIONS }),
    );
    const stop = projection.warnings.find((w) => w.code === 'INVITES_STOP');
    expect(stop).toMatchObject({ level: 'warn', field: 'invite.whenClaimClosed' });
    expect(stop?.message).toMatch(/^领取福利第 9 天（\d+月\d+日）截止，之后好友的邀请无法认定/);
    const after = projection.days.filter((d) => d.day > 9);
    expect(after.every((d) => d.verified === 0 && d.cardsUnlocked === 0)).toBe(true);
  });

  it('adds a seeded band on request, the same for the same seed', async () => {
    const ask = (seed: number) =>
      backend.admin(OWNER, 'campaign.simulate', {
        assumptions: DEMO_ASSUMPTIONS,
        bands: { runs: 40, seed },
      });
    const a = data(await ask(7)).bands!;
    expect(data(await ask(7)).bands).toEqual(a);
    expect(data(await ask(8)).bands).not.toEqual(a);
    expect(a.totals.claims.p10).toBeLessThanOrEqual(a.totals.claims.p50);
    expect(a.totals.claims.p50).toBeLessThanOrEqual(a.totals.claims.p90);
  });
});

describe('roles', () => {
  const studioEvents: Array<[string, Record<string, unknown>]> = [
    ['campaign.list', {}],
    ['campaign.create', { cloneOf: DEMO }],
    ['campaign.update', { id: DEMO, config: {}, expectedUpdatedAt: new Date().toISOString() }],
    ['campaign.setStatus', { id: DEMO, status: 'paused' }],
    ['campaign.adjustStock', { id: DEMO, prizeId: 'tumbler', delta: 1 }],
    ['campaign.simulate', {}],
    ['admins.list', {}],
    ['admins.remove', { ref: 'adm_abcdefgh' }],
    ['admins.createBindCode', { role: 'staff', name: '小王' }],
  ];

  it.each(studioEvents)(
    'refuses %s to a visitor and to staff, writing nothing',
    async (action, params) => {
      await enter(backend, 'visitor');
      const before = backend.snapshot();
      for (const openid of ['visitor', STAFF]) {
        const { result } = await backend.emulator.invoke(
          'admin',
          { action, ...params },
          { openid },
        );
        expect(result).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });
      }
      expect(backend.snapshot()).toEqual(before);
    },
  );
});
