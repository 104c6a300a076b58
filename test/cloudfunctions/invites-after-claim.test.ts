/**
 * Operator studio (issue 9): invites count for the whole campaign. Once the magnet's claim window
 * has closed, an invited friend's first spin is the qualifying action (`invite.whenClaimClosed:
 * spin`), judged in the write that consumes the spin and credited once, also when calls race, die
 * half-way or come again; with `none`, nothing qualifies and the pages are told so.
 */
import {
  OWNER,
  data,
  editCampaign,
  enter,
  enterAndClaim,
  errorCode,
  requestId,
  rewriteStored,
  runCron,
  storedDocs,
  useBackend,
} from '../support/emulator';

const backend = useBackend();

type Config = Record<string, any>;

const HOUR = 60 * 60 * 1000;

const docs = (collection: string) => storedDocs(backend, collection);
const rewrite = (collection: string, edit: Parameters<typeof rewriteStored>[2]) =>
  rewriteStored(backend, collection, edit);

const funnel = async () =>
  Object.fromEntries(
    data(await backend.admin(OWNER, 'stats.overview')).funnel.map((s) => [s.key, s.count]),
  );

/** The claim window closes an hour after the campaign started (long before now). */
const closeClaimWindow = (whenClaimClosed: 'spin' | 'none', more?: (c: Config) => void) =>
  editCampaign(backend, (config) => {
    config.magnet.claimWindow.endAt = new Date(Date.parse(config.startAt) + HOUR).toISOString();
    config.invite.whenClaimClosed = whenClaimClosed;
    more?.(config);
  });

describe('after the claim window closed', () => {
  it("verifies a friend's invite at their first spin, once, and tells the pages so", async () => {
    const { session } = await enterAndClaim(backend, 'inviter');
    await closeClaimWindow('spin', (c) => (c.lottery.dailyFreeSpins = 3));
    expect(data(await backend.api('inviter', 'campaign.get')).qualifyingAction).toBe('spin');

    await enter(backend, 'friend', session.inviteCode);
    expect(errorCode(await backend.api('friend', 'magnet.claim', { requestId: requestId() }))).toBe(
      'CLAIM_WINDOW_CLOSED',
    );
    expect(data(await backend.api('inviter', 'blackcard.get'))).toMatchObject({
      verified: 0,
      pending: 1,
    });
    data(await backend.api('friend', 'lottery.spin', { requestId: requestId() }));
    data(await backend.api('friend', 'lottery.spin', { requestId: requestId() }));
    expect(data(await backend.api('inviter', 'blackcard.get'))).toMatchObject({
      verified: 1,
      pending: 0,
    });
    // the inviter's bonus spin, on top of today's free ones
    expect(data(await backend.api('inviter', 'lottery.status')).bonusSpinsLeft).toBe(1);
    expect(await funnel()).toMatchObject({ invitesVerified: 1 });
    const friend = docs('participants').find((p) => p.openid === 'friend');
    expect(friend?.invite.status).toBe('verified');
  });

  it('credits once when the friend spins many times at the same moment', async () => {
    const { session } = await enterAndClaim(backend, 'inviter');
    await closeClaimWindow('spin', (c) => (c.lottery.dailyFreeSpins = 6));
    await enter(backend, 'friend', session.inviteCode);
    backend.emulator.faults.latencyMs = 1;
    const spins = await Promise.all(
      Array.from({ length: 6 }, () =>
        backend.api('friend', 'lottery.spin', { requestId: requestId() }),
      ),
    );
    backend.emulator.faults.latencyMs = 0;
    expect(spins.filter((s) => s.ok).length).toBeGreaterThan(0);
    const inviter = docs('participants').find((p) => p.openid === 'inviter')!;
    expect(inviter.progress.verified).toBe(1);
    expect(Object.keys(inviter.progress.credits)).toHaveLength(1);
    expect((await funnel()).invitesVerified).toBe(1);
    // and the recount agrees
    const run = await runCron(backend);
    expect(run.ok && run.data.reconciled).toMatchObject({ countersCorrected: {} });
  });

  it('finishes the credit of a spin whose call died after recording it (the reconciler)', async () => {
    const { session } = await enterAndClaim(backend, 'inviter');
    await closeClaimWindow('spin');
    await enter(backend, 'friend', session.inviteCode);
    data(await backend.api('friend', 'lottery.spin', { requestId: requestId() }));
    const before = await funnel();
    // The inviter as it was before the credit landed: the spin's record and verdict are there.
    await rewrite('participants', (all) =>
      all.map((p) =>
        p.openid !== 'inviter'
          ? p
          : {
              ...p,
              progress: {
                ...p.progress,
                verified: 0,
                verifiedToday: 0,
                bonusEarnedToday: 0,
                bonusBalance: 0,
                credits: {},
              },
            },
      ),
    );
    expect(data(await backend.api('inviter', 'blackcard.get')).verified).toBe(0);
    const run = await runCron(backend);
    expect(run.ok && run.data.reconciled).toMatchObject({ invitesJudged: 1 });
    expect(data(await backend.api('inviter', 'blackcard.get')).verified).toBe(1);
    expect(await funnel()).toEqual(before);
    const again = await runCron(backend);
    expect(again.ok && again.data.reconciled).toMatchObject({ invitesJudged: 0 });
  });

  it('finishes the credit when the same spin is sent again (a lost reply)', async () => {
    const { session } = await enterAndClaim(backend, 'inviter');
    await closeClaimWindow('spin');
    await enter(backend, 'friend', session.inviteCode);
    const spin = requestId();
    const first = data(await backend.api('friend', 'lottery.spin', { requestId: spin }));
    await rewrite('participants', (all) =>
      all.map((p) =>
        p.openid !== 'inviter'
          ? p
          : { ...p, progress: { ...p.progress, verified: 0, bonusBalance: 0, credits: {} } },
      ),
    );
    expect(data(await backend.api('friend', 'lottery.spin', { requestId: spin }))).toEqual(first);
    expect(data(await backend.api('inviter', 'blackcard.get')).verified).toBe(1);
  });

  it("refuses a risky friend's invite at the spin", async () => {
    const { session } = await enterAndClaim(backend, 'inviter');
    await closeClaimWindow('spin');
    await enter(backend, 'friend', session.inviteCode);
    await backend.emulator.sdk.setRiskRank('friend', 3); // downgrade: may spin, invite void
    data(await backend.api('friend', 'lottery.spin', { requestId: requestId() }));
    const friend = docs('participants').find((p) => p.openid === 'friend')!;
    expect(friend.invite).toMatchObject({ status: 'rejected', reason: 'RISK' });
    expect(data(await backend.api('inviter', 'blackcard.get')).verified).toBe(0);
    expect((await funnel()).invitesVerified).toBe(0);
  });

  it('counts nothing when the config says so, and tells the pages no invite can count', async () => {
    const { session } = await enterAndClaim(backend, 'inviter');
    await closeClaimWindow('none');
    expect(data(await backend.api('inviter', 'campaign.get')).qualifyingAction).toBeNull();
    await enter(backend, 'friend', session.inviteCode);
    data(await backend.api('friend', 'lottery.spin', { requestId: requestId() }));
    expect(data(await backend.api('inviter', 'blackcard.get'))).toMatchObject({
      verified: 0,
      pending: 1,
    });
  });

  it('keeps the claim as the qualifying action while the window is open', async () => {
    const { session } = await enterAndClaim(backend, 'inviter');
    expect(data(await backend.api('inviter', 'campaign.get')).qualifyingAction).toBe('claim');
    await enter(backend, 'friend', session.inviteCode);
    data(await backend.api('friend', 'lottery.spin', { requestId: requestId() }));
    expect(data(await backend.api('inviter', 'blackcard.get')).verified).toBe(0);
    data(await backend.api('friend', 'magnet.claim', { requestId: requestId() }));
    expect(data(await backend.api('inviter', 'blackcard.get')).verified).toBe(1);
  });
});
