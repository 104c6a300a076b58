/**
 * People console (issue 13): CSV exports — 2,500 members in pages of at most 1000 reads across
 * calls, a UTF-8 file with a BOM that opens with correct Chinese, never an openid; resumable when a
 * call dies; advanced by cron; every kind exports what exists.
 */
import { newParticipant, newUser } from '../../../cloudfunctions/_shared/user';
import { toJsonSafe } from '../../../emulator/store';
import { FunctionTimeoutError } from '../../../emulator/functions';
import {
  OWNER,
  data,
  enter,
  enterAndClaim,
  errorCode,
  runCron,
  useBackend,
} from '../../support/emulator';
import { docs, favour, friendClaims, redeemFirstCoupon, spin } from './support';

const backend = useBackend();

const MEMBERS = 2500;
const NICKNAMES = ['茶友小林', '阿杰, "老顾客"', '=HYPERLINK("http://x")', '山野🍵爱好者'];

/** 2,500 members of the demo campaign, straight into the store (as 2,500 visits would leave). */
async function seedMembers(count: number): Promise<string[]> {
  const snapshot = backend.emulator.store.exportSnapshot();
  const now = new Date(backend.emulator.clock.now());
  const users = (snapshot.collections.users ?? []) as unknown[];
  const participants = (snapshot.collections.participants ?? []) as unknown[];
  const codes: string[] = [];
  for (let i = 0; i < count; i++) {
    const user = newUser({
      openid: `seeded-openid-${i}`,
      inviteCode: `M${i.toString(36).toUpperCase().padStart(7, '0')}`,
      campaignId: 'demo-opening',
      channel: i % 2 ? 'poster' : 'kol',
      scene: null,
      now,
      invite: null,
    });
    const profile = i < NICKNAMES.length ? { profile: { nickname: NICKNAMES[i] } } : {};
    const participant = newParticipant({
      id: `demo-opening:${user._id}`,
      campaignId: 'demo-opening',
      user,
      channel: user.firstTouch.channel,
      isNewUser: true,
      invite: null,
      now,
      entered: true,
      person: user,
    });
    codes.push(user.inviteCode);
    users.push(toJsonSafe({ ...user, ...profile }));
    participants.push(toJsonSafe(participant));
  }
  snapshot.collections.users = users;
  snapshot.collections.participants = participants;
  await backend.emulator.importSnapshot(snapshot);
  return codes;
}

/** The CSV a finished job wrote, as bytes. */
async function csvOf(jobId: string): Promise<Buffer> {
  const job = docs(backend, 'exports').find((j) => j._id === jobId);
  expect(job?.status).toBe('done');
  const { fileContent } = await backend.emulator.sdk.downloadFile({ fileID: job!.fileID });
  return fileContent as Buffer;
}

/** Rows of a CSV (RFC 4180: quoted fields may hold commas, quotes and line breaks). */
function parse(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let cell = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (quoted) {
      if (ch === '"' && text[i + 1] === '"') {
        cell += '"';
        i++;
      } else if (ch === '"') {
        quoted = false;
      } else {
        cell += ch;
      }
    } else if (ch === '"') {
      quoted = true;
    } else if (ch === ',') {
      row.push(cell);
      cell = '';
    } else if (ch === '\r' && text[i + 1] === '\n') {
      row.push(cell);
      rows.push(row);
      row = [];
      cell = '';
      i++;
    } else {
      cell += ch;
    }
  }
  return rows;
}

function decode(bytes: Buffer): string[][] {
  expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
  return parse(bytes.subarray(3).toString('utf8'));
}

async function exportAll(kind: string, filter?: Record<string, unknown>) {
  let job = data(
    await backend.admin(OWNER, 'export.create', { kind, ...(filter ? { filter } : {}) } as never),
  );
  while (job.status === 'running') {
    job = data(await backend.admin(OWNER, 'export.get', { jobId: job.jobId }));
  }
  return { job, rows: decode(await csvOf(job.jobId)) };
}

it('exports 2,500 members in pages across calls: 2,500 rows, correct Chinese, no openid', async () => {
  const codes = await seedMembers(MEMBERS);
  const started = data(await backend.admin(OWNER, 'export.create', { kind: 'members' }));
  // the first call read two pages of 1000 and stopped: the rest is for the next calls
  expect(started).toMatchObject({ status: 'running', scanned: 2000, rows: 2000, total: 2500 });
  expect(started.url).toBeUndefined();
  const done = data(await backend.admin(OWNER, 'export.get', { jobId: started.jobId }));
  expect(done).toMatchObject({ status: 'done', scanned: 2500, rows: 2500, total: 2500 });
  expect(done.fileName).toMatch(/^会员名单-\d{8}-\d{4}\.csv$/);
  expect(done.url).toMatch(/\/__emulator\/files\/exports\/ex_[0-9a-f]+\/members-\d{8}-\d{4}\.csv$/);

  const bytes = await csvOf(done.jobId);
  const rows = decode(bytes);
  expect(rows[0]).toEqual([
    '会员编号',
    '昵称',
    '成长标签',
    '标签来源',
    '首次来源',
    '本活动渠道',
    '进入活动时间',
    '领取福利时间',
    '抽奖次数',
    '有效邀请',
    '邀请人',
    '邀请状态',
    '黑卡解锁时间',
    '领取群码时间',
    '确认入群时间',
    '团长',
    '账号状态',
  ]);
  const body = rows.slice(1);
  expect(body).toHaveLength(MEMBERS);
  expect(new Set(body.map((r) => r[0]))).toEqual(new Set(codes));
  const byCode = new Map(body.map((r) => [r[0], r]));
  expect(byCode.get(codes[0])?.slice(1, 6)).toEqual([
    '茶友小林',
    'C',
    '规则',
    '本地探店博主',
    '本地探店博主',
  ]);
  expect(byCode.get(codes[1])?.[1]).toBe('阿杰, "老顾客"');
  // a nickname that a spreadsheet would run as a formula is kept as text
  expect(byCode.get(codes[2])?.[1]).toBe(`'=HYPERLINK("http://x")`);
  expect(byCode.get(codes[3])?.[1]).toBe('山野🍵爱好者');
  expect(byCode.get(codes[4])?.[16]).toBe('正常');
  expect(bytes.toString('utf8')).not.toMatch(/seeded-openid/);

  // the answers never carried an openid either, and the act is in the audit log
  expect(JSON.stringify([started, done])).not.toMatch(/seeded-openid|demo-admin/);
  const log = data(await backend.admin(OWNER, 'audit.list', {}));
  expect(log.entries[0]).toMatchObject({
    action: 'export',
    by: '演示运营',
    detail: '导出会员名单',
  });
});

it('finishes an export exactly, whatever calls die on the way', async () => {
  const codes = await seedMembers(MEMBERS);
  const { jobId } = data(await backend.admin(OWNER, 'export.create', { kind: 'members' }));
  backend.emulator.faults.update({ killRate: 0.25, seed: 13 });
  let kills = 0;
  for (let attempt = 0; attempt < 100; attempt++) {
    try {
      const job = data(await backend.admin(OWNER, 'export.get', { jobId }));
      if (job.status === 'done') break;
    } catch (error) {
      if (!(error instanceof FunctionTimeoutError)) throw error;
      kills++;
      // the dead call's step is taken over once its lease has lapsed
      await backend.emulator.advanceClock(61_000);
    }
  }
  backend.emulator.faults.update({ killRate: 0 });
  expect(kills).toBeGreaterThan(0);
  const rows = decode(await csvOf(jobId)).slice(1);
  expect(rows).toHaveLength(MEMBERS);
  expect(new Set(rows.map((r) => r[0]))).toEqual(new Set(codes));
});

it('lets cron finish an export nobody is watching', async () => {
  await seedMembers(MEMBERS);
  const { jobId } = data(await backend.admin(OWNER, 'export.create', { kind: 'members' }));
  const run = await runCron(backend);
  expect(run.ok && (run.data as { exportsAdvanced?: number }).exportsAdvanced).toBe(1);
  expect(decode(await csvOf(jobId)).slice(1)).toHaveLength(MEMBERS);
  const list = data(await backend.admin(OWNER, 'export.list', {}));
  expect(list.jobs).toEqual([expect.objectContaining({ jobId, status: 'done', rows: MEMBERS })]);
  expect(list.jobs[0].url).toBeDefined();
});

it('exports each kind of what exists: coupons, winners, invites, redemptions, members by tag', async () => {
  await favour(backend, 'tumbler');
  const { session: a } = await enterAndClaim(backend, 'oid-a');
  await spin(backend, 'oid-a'); // a tumbler: a physical prize to hand over
  await friendClaims(backend, 'oid-b', a.inviteCode);
  await enter(backend, 'oid-c', a.inviteCode); // pending
  await enter(backend, 'oid-returning');
  await enter(backend, 'oid-returning', a.inviteCode); // refused: not new
  expect((await redeemFirstCoupon(backend, 'oid-b')).ok).toBe(true);

  const coupons = await exportAll('coupons');
  expect(
    coupons.rows
      .slice(1)
      .map((r) => [r[1], r[3], r[8], r[10]])
      .sort(),
  ).toEqual([
    ['5元无门槛券', '新客礼', '可使用', ''],
    ['5元无门槛券', '新客礼', '已核销', '演示店员'],
    // Rewards (issue 12): the physical prize's voucher is a wallet item, exported with them
    ['定制保温杯', '抽奖', '可使用', ''],
    // Retention (issue 15): the repurchase coupon b's redemption earned
    ['老顾客回馈 满30减6', '老客回馈', '可使用', ''],
  ]);
  const winners = await exportAll('winners');
  expect(winners.rows.slice(1).map((r) => [r[0], r[3], r[4]])).toEqual([
    [a.inviteCode, '定制保温杯', '实物'],
  ]);
  const invites = await exportAll('invites');
  expect(
    invites.rows
      .slice(1)
      .map((r) => [r[2], r[3], r[4], r[5]])
      .sort(),
  ).toEqual([
    [a.inviteCode, '新访客', '待验证', ''],
    [a.inviteCode, '新访客', '有效', ''],
    [a.inviteCode, '老访客', '无效', '老用户'],
  ]);
  const redemptions = await exportAll('redemptions');
  expect(redemptions.rows.slice(1).map((r) => [r[1], r[6]])).toEqual([['5元无门槛券', '演示店员']]);
  // the members tagged A (a shared) and B (b claimed; redeemed makes b S)
  const tagged = await exportAll('members', { tag: 'S' });
  expect(tagged.rows.slice(1).map((r) => r[2])).toEqual(['S']);
  const all = [coupons, winners, invites, redemptions, tagged].map((e) => e.rows.flat().join(','));
  expect(all.join('\n')).not.toMatch(/oid-|demo-staff|demo-admin/);
});

it('answers NOT_FOUND for a job that does not exist, and writes nothing', async () => {
  const before = backend.snapshot();
  expect(errorCode(await backend.admin(OWNER, 'export.get', { jobId: 'ex_nothing' }))).toBe(
    'NOT_FOUND',
  );
  expect(backend.snapshot()).toEqual(before);
});
