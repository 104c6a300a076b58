/**
 * Scale (issue 14): the dashboard, a member's black card and wallet, the People console's member
 * lookup and page, and the export's first page, at 1,000, 100,000 and 1,000,000 members. Members
 * are seeded straight into the store (cloned from one real member made through the functions:
 * the same documents the functions write), each with their gift coupon, most invited by an
 * earlier member (four friends each), spread over the campaign's days and channels. Each figure
 * is the median of warm calls; the ratio 1M / 1k is what the store's indexes are for.
 */
import type { Doc } from '../../emulator/store';

type Loose = Doc & Record<string, any>;
import type { Emulator } from '../../emulator/emulator';
import { INVITE_CODE_ALPHABET } from '../../cloudfunctions/_shared/domain/invite-code';
import { EXPORT_PAGE } from '../../cloudfunctions/_shared/limits';
import { freshEmulator, median, must, round, section, timed } from './support';

export interface ScaleOp {
  name: string;
  fn: 'api' | 'admin';
  openid: string;
  event: () => Record<string, unknown>;
}

export interface ScaleRow {
  op: string;
  members: number;
  medianMs: number;
  roundTrips: number;
  /** documents the store read to answer one call (the database's work, whatever the heap) */
  examined: number;
}

export interface ScaleResult {
  sizes: number[];
  rows: ScaleRow[];
  seedSeconds: Record<number, number>;
}

/** The i-th member's invite code: 8 characters of the alphabet, unique per i. */
function codeOf(i: number): string {
  let code = '';
  let n = i;
  for (let k = 0; k < 8; k++) {
    code = INVITE_CODE_ALPHABET[n % INVITE_CODE_ALPHABET.length] + code;
    n = Math.floor(n / INVITE_CODE_ALPHABET.length);
  }
  return code;
}

const CHANNELS = ['poster', 'share', 'table', 'direct'];

const clone = <T>(value: T): T => structuredClone(value);

/**
 * `members` members cloned from a real one: person, participant, gift coupon. Member i (i ≥ 1)
 * was invited by member ⌊(i − 1) / 4⌋, who counts four verified invites.
 */
export async function seed(emulator: Emulator, members: number): Promise<void> {
  await must(emulator, 'api', 'template-member', { action: 'session.enter', channel: 'poster' });
  await must(emulator, 'api', 'template-member', {
    action: 'magnet.claim',
    requestId: 'template-claim',
  });
  const [user] = emulator.store.find('users', { filter: { _id: 'template-member' } }) as Loose[];
  const [participant] = emulator.store.find('participants', {
    filter: { openid: 'template-member' },
  }) as Loose[];
  const [coupon] = emulator.store.find('coupons', {
    filter: { owner: 'template-member' },
  }) as Loose[];
  const campaignId = participant.campaignId as string;
  const start = (participant.enteredAt as Date).getTime();
  const users: Doc[] = [];
  const participants: Doc[] = [];
  const coupons: Doc[] = [];
  for (let i = 0; i < members; i++) {
    const openid = `m${i}`;
    const inviteCode = codeOf(i + 1);
    const at = new Date(start - (members - i) * 500); // half a second apart, oldest first
    const channel = CHANNELS[i % CHANNELS.length];
    const inviter = i > 0 ? Math.floor((i - 1) / 4) : -1;
    const invitees = Math.max(0, Math.min(4, members - 1 - i * 4));
    const u = clone(user);
    Object.assign(u, { _id: openid, inviteCode, createdAt: at });
    u.firstTouch = { ...u.firstTouch, channel, at };
    users.push(u);
    const p = clone(participant);
    const couponId = `cp_bench_${i}`;
    Object.assign(p, {
      _id: `${campaignId}:${openid}`,
      openid,
      inviteCode,
      channel: inviter >= 0 ? 'share' : channel,
      createdAt: at,
      enteredAt: at,
      tagRank: 1 + (i % 4),
      claim: { ...p.claim, at, requestId: `claim-${openid}`, couponId },
      invite:
        inviter >= 0
          ? {
              inviterId: `m${inviter}`,
              inviterCode: codeOf(inviter + 1),
              status: 'verified',
              at,
              verifiedAt: at,
              inviterChannel: CHANNELS[inviter % CHANNELS.length],
            }
          : null,
    });
    p.progress = {
      ...p.progress,
      verified: invitees,
      firstInviteAt: invitees ? at : null,
      credits: Object.fromEntries(
        Array.from({ length: invitees }, (_, k) => [
          codeOf(i * 4 + k + 2),
          { at, counted: true, bonus: 1 },
        ]),
      ),
    };
    participants.push(p);
    const c = clone(coupon);
    Object.assign(c, { _id: couponId, owner: openid, ownerCode: inviteCode, issuedAt: at });
    coupons.push(c);
  }
  const insert = (collection: string, docs: Doc[]) =>
    emulator.store.commit(
      docs.map((doc) => ({ collection, id: doc._id, after: doc, mode: 'insert' as const })),
    );
  insert('users', users);
  insert('participants', participants);
  insert('coupons', coupons);
}

function opsFor(members: number): ScaleOp[] {
  // a member in the middle of the tree: four friends of their own, and their gift coupon
  const member = Math.floor(members / 8);
  const openid = `m${member}`;
  const code = codeOf(member + 1);
  return [
    {
      name: 'stats.overview',
      fn: 'admin',
      openid: 'demo-admin',
      event: () => ({ action: 'stats.overview' }),
    },
    { name: 'blackcard.get', fn: 'api', openid, event: () => ({ action: 'blackcard.get' }) },
    { name: 'wallet.list', fn: 'api', openid, event: () => ({ action: 'wallet.list' }) },
    {
      name: 'users.find',
      fn: 'admin',
      openid: 'demo-admin',
      event: () => ({ action: 'users.find', code }),
    },
    {
      name: 'users.get',
      fn: 'admin',
      openid: 'demo-admin',
      event: () => ({ action: 'users.get', userRef: code }),
    },
    {
      name: 'users.list (first page)',
      fn: 'admin',
      openid: 'demo-admin',
      event: () => ({ action: 'users.list' }),
    },
  ];
}

/**
 * The export's first page: `export.create` counts the rows (the progress bar's total) and writes
 * the first pages of 1,000 rows (up to EXPORT_PAGES_PER_CALL; at 1,000 members the only one, and
 * the file). The figure is per 1,000 rows read, the step every later `export.get` repeats: what
 * must not grow with the campaign is the cost of a page, not the number of pages.
 */
async function exportFirstPage(
  emulator: Emulator,
): Promise<{ ms: number; roundTrips: number; examined: number }> {
  const before = emulator.store.examinedDocuments;
  const { value, ms } = await timed(() =>
    emulator.invoke(
      'admin',
      { action: 'export.create', kind: 'members' },
      { openid: 'demo-admin' },
    ),
  );
  const answer = value.result as { ok: boolean; data?: { scanned: number } };
  if (!answer.ok || !answer.data) throw new Error(`export.create: ${JSON.stringify(answer)}`);
  const pages = Math.max(1, Math.ceil(answer.data.scanned / EXPORT_PAGE));
  const examined = (emulator.store.examinedDocuments - before) / pages;
  return { ms: ms / pages, roundTrips: value.dbCalls, examined };
}

export async function scale(sizes: number[], repeats = 15): Promise<ScaleResult> {
  const log = section(`Scale: ${sizes.map((n) => n.toLocaleString('en')).join(' / ')} members`);
  const rows: ScaleRow[] = [];
  const seedSeconds: Record<number, number> = {};
  for (const members of sizes) {
    const emulator = await freshEmulator();
    const seeded = await timed(() => seed(emulator, members));
    seedSeconds[members] = round(seeded.ms / 1000, 1);
    log(`${members.toLocaleString('en')} members seeded in ${seedSeconds[members]} s`);
    for (const op of opsFor(members)) {
      const times: number[] = [];
      let roundTrips = 0;
      let examined = 0;
      for (let r = 0; r < repeats + 2; r++) {
        const before = emulator.store.examinedDocuments;
        const { value, ms } = await timed(() =>
          emulator.invoke(op.fn, op.event(), { openid: op.openid }),
        );
        const answer = value.result as { ok: boolean };
        if (!answer.ok)
          throw new Error(`${op.name} at ${members}: ${JSON.stringify(value.result)}`);
        if (r >= 2) times.push(ms); // two warm-up calls
        roundTrips = value.dbCalls;
        examined = emulator.store.examinedDocuments - before;
      }
      const row = { op: op.name, members, medianMs: round(median(times), 2), roundTrips, examined };
      rows.push(row);
      log(
        `  ${op.name.padEnd(26)} ${String(row.medianMs).padStart(8)} ms  (${roundTrips} round trips, ${examined} documents examined)`,
      );
    }
    const pages: number[] = [];
    let pageTrips = 0;
    let pageExamined = 0;
    for (let r = 0; r < Math.min(repeats, 5) + 1; r++) {
      const { ms, roundTrips, examined } = await exportFirstPage(emulator);
      if (r >= 1) pages.push(ms);
      pageTrips = roundTrips;
      pageExamined = examined;
    }
    const page = {
      op: 'export.create (first page, per 1,000 rows)',
      members,
      medianMs: round(median(pages), 2),
      roundTrips: pageTrips,
      examined: round(pageExamined, 0),
    };
    rows.push(page);
    log(
      `  ${page.op.padEnd(26)} ${String(page.medianMs).padStart(8)} ms  (${pageTrips} round trips, ${page.examined} documents examined)`,
    );
    await emulator.close();
    if (global.gc) global.gc();
  }
  return { sizes, rows, seedSeconds };
}
