/**
 * CSV exports (People console, issue 13): members, coupons, winners, invites and redemptions of
 * the active campaign, as a UTF-8 CSV with a BOM (Excel opens Chinese correctly) in cloud
 * storage, downloaded through a temporary URL.
 *
 * An export is a job (repositories/exports) advanced a step at a time: each step reads one page
 * of at most 1000 documents from an index (never a scan of everything at once), writes its rows as
 * a part file, and moves the job's cursor; when the last source is read, the parts are joined
 * under the header into one file. `export.create` runs the first steps, every `export.get` (the
 * admin page polling its progress) and every cron run advance it, so an export of any size fits
 * in calls far inside a function's timeout, and a step that dies is run again.
 *
 * No openid is ever written: a member is their invite code, an operator their name. Cells a
 * member typed are guarded against spreadsheet formulas (domain/csv).
 *
 * Each kind is a list of sources (phases) read in turn, so a kind is easy to extend: issue 12's
 * `redemptions` ledger replaces the coupons this export reads today, and its vouchers join the
 * winners.
 */
import type { Campaign } from '../campaign';
import { displayUrl, readFile, storeFile } from '../cloud';
import type { ExportJob, ExportKind, InviteRejectionReason, PrizeKind } from '../contracts';
import { LEADER_TITLES } from '../constants';
import { couponStatus } from '../domain/coupon';
import { csvRow, UTF8_BOM, type Cell } from '../domain/csv';
import { isManualRank, ranksShowing, tagOfRank } from '../domain/tags';
import { formatShanghai } from '../domain/time';
import { command } from '../db';
import { EXPORT_LEASE_MS, EXPORT_PAGE } from '../limits';
import { findAdminsByIds } from '../repositories/admins';
import { findCampaign } from '../repositories/campaigns';
import { countCampaignCoupons, pageCampaignCoupons, type CouponDoc } from '../repositories/coupons';
import {
  advanceExport,
  findExport,
  finishExport,
  releaseLease,
  takeLease,
  type ExportDoc,
  type ExportFilter,
} from '../repositories/exports';
import {
  countParticipantsWhere,
  pageParticipantsWhere,
  type ParticipantDoc,
} from '../repositories/participants';
import { countCampaignRejections, pageRejections } from '../repositories/rejections';
import { findUsersByIds, type UserDoc } from '../repositories/users';
import { nicknameOf } from '../user';

interface Page {
  /** documents read */
  scanned: number;
  rows: string[];
  /** where the next page starts (the last `_id` read) */
  next: string | null;
  done: boolean;
}

interface Source {
  read(job: ExportDoc, campaign: Campaign | null): Promise<Page>;
  count(job: ExportDoc): Promise<number>;
}

interface Kind {
  /** the file's name for people (`会员名单-20250301-1030.csv`) */
  label: string;
  header: string[];
  sources: Source[];
}

// ---- formatting -------------------------------------------------------------------------------

const time = (at: Date | null | undefined): string =>
  at ? formatShanghai(at, 'YYYY-MM-DD HH:mm:ss') : '';

const INVITE_STATUS: Record<string, string> = {
  pending: '待验证',
  verified: '有效',
  rejected: '无效',
  held: '待审核',
};
const REASONS: Record<InviteRejectionReason, string> = {
  SELF_INVITE: '自己邀请自己',
  NOT_NEW_USER: '老用户',
  UNKNOWN_CODE: '邀请码无效',
  INVITER_DAILY_CAP: '超出每日上限',
  RISK: '风险账号',
  CAMPAIGN_ENDED: '活动已结束',
  BLOCKED: '账号已停用',
  REVIEW_REJECTED: '审核未通过',
};
const PRIZE_KINDS: Record<PrizeKind, string> = {
  coupon: '优惠券',
  resource: '资料',
  physical: '实物',
  none: '谢谢参与',
};
const COUPON_SOURCES: Record<CouponDoc['source'], string> = {
  magnet: '新客礼',
  lottery: '抽奖',
  milestone: '阶梯奖励',
  grant: '专属奖励',
  repurchase: '老客回馈',
};
const COUPON_STATUS = { available: '可使用', redeemed: '已核销', expired: '已过期' } as const;

function channelName(code: string, campaign: Campaign | null): string {
  const builtIn: Record<string, string> = { direct: '直接访问', other: '其他' };
  return campaign?.channels.find((c) => c.code === code)?.name ?? builtIn[code] ?? code;
}

function row(cells: Cell[]): string {
  return csvRow(cells);
}

// ---- sources ----------------------------------------------------------------------------------

/** The participant conditions a member filter names (indexed fields only). */
function memberWhere(filter: ExportFilter): Record<string, unknown> {
  const _ = command();
  return {
    ...(filter.tag ? { tagRank: _.in(ranksShowing(filter.tag)) } : {}),
    ...(filter.channel ? { channel: filter.channel } : {}),
    ...(filter.blocked !== undefined ? { 'blocked.at': _.exists(filter.blocked) } : {}),
  };
}

async function peopleOf(openids: readonly string[]): Promise<Map<string, UserDoc>> {
  return new Map((await findUsersByIds(openids)).map((u) => [u._id, u]));
}

/** A source over the campaign's participants matching `where`, in `_id` order. */
function participantSource(
  where: (job: ExportDoc) => Record<string, unknown>,
  rowsOf: (page: ParticipantDoc[], campaign: Campaign | null) => Promise<string[]>,
): Source {
  return {
    async read(job, campaign) {
      const docs = await pageParticipantsWhere(job.campaignId, where(job), job.cursor, EXPORT_PAGE);
      return {
        scanned: docs.length,
        rows: await rowsOf(docs, campaign),
        next: docs[docs.length - 1]?._id ?? null,
        done: docs.length < EXPORT_PAGE,
      };
    },
    count: (job) => countParticipantsWhere(job.campaignId, where(job)),
  };
}

/** A source over the campaign's coupons (all, or redeemed ones), in `_id` order. */
function couponSource(
  onlyRedeemed: boolean,
  rowsOf: (page: CouponDoc[]) => Promise<string[]>,
): Source {
  return {
    async read(job) {
      const docs = await pageCampaignCoupons(job.campaignId, job.cursor, EXPORT_PAGE, onlyRedeemed);
      return {
        scanned: docs.length,
        rows: await rowsOf(docs),
        next: docs[docs.length - 1]?._id ?? null,
        done: docs.length < EXPORT_PAGE,
      };
    },
    async count(job) {
      const { issued, redeemed } = await countCampaignCoupons(job.campaignId);
      return onlyRedeemed ? redeemed : issued;
    },
  };
}

const members = participantSource(
  (job) => ({ enteredAt: command().neq(null), ...memberWhere(job.filter) }),
  async (page, campaign) => {
    const people = await peopleOf(page.map((p) => p.openid));
    return page.map((p) => {
      const user = people.get(p.openid);
      const invite = p.invite;
      return row([
        p.inviteCode,
        nicknameOf(user),
        tagOfRank(p.tagRank),
        isManualRank(p.tagRank) ? '手动' : '规则',
        user ? channelName(user.firstTouch.channel, campaign) : '',
        channelName(p.channel, campaign),
        time(p.enteredAt),
        time(p.claim?.at),
        p.spins.total,
        p.progress.verified,
        invite?.inviterCode ?? '',
        invite ? (INVITE_STATUS[invite.status] ?? invite.status) : '',
        time(p.progress.unlockedAt),
        time(p.group?.at),
        time(p.joinedAt),
        user?.leader ? LEADER_TITLES[user.leader.level] : '',
        user?.blocked ? '已停用' : '正常',
      ]);
    });
  },
);

async function couponRows(page: CouponDoc[], redemptionsOnly: boolean, now: Date) {
  const [people, staff] = await Promise.all([
    peopleOf(page.map((c) => c.owner)),
    findAdminsByIds(page.flatMap((c) => (c.redeemedBy ? [c.redeemedBy] : []))),
  ]);
  const staffName = new Map(staff.map((a) => [a._id, a.name]));
  return page.map((c) => {
    const owner = people.get(c.owner);
    const cashier = c.redeemedBy ? (staffName.get(c.redeemedBy) ?? '店员') : '';
    return redemptionsOnly
      ? row([
          c._id,
          c.title,
          c.label,
          owner?.inviteCode ?? '',
          nicknameOf(owner),
          time(c.redeemedAt),
          cashier,
        ])
      : row([
          c._id,
          c.title,
          c.label,
          COUPON_SOURCES[c.source] ?? c.source,
          owner?.inviteCode ?? '',
          nicknameOf(owner),
          time(c.issuedAt),
          time(c.expiresAt),
          COUPON_STATUS[couponStatus(c, now)],
          time(c.redeemedAt),
          cashier,
        ]);
  });
}

const winners = participantSource(
  (job) => ({ 'spins.total': command().gt(0), ...memberWhere(job.filter) }),
  async (page) => {
    const people = await peopleOf(page.map((p) => p.openid));
    return page.flatMap((p) =>
      Object.values(p.spins.log)
        .filter((spin) => spin.kind !== 'none')
        .sort((a, b) => a.at.getTime() - b.at.getTime())
        .map((spin) =>
          row([
            p.inviteCode,
            nicknameOf(people.get(p.openid)),
            tagOfRank(p.tagRank),
            spin.name,
            PRIZE_KINDS[spin.kind] ?? spin.kind,
            time(spin.at),
            spin.couponId ?? '',
          ]),
        ),
    );
  },
);

const invitesOfNewcomers = participantSource(
  (job) => ({ 'invite.status': command().exists(true), ...memberWhere(job.filter) }),
  async (page) => {
    const people = await peopleOf(page.map((p) => p.openid));
    return page.map((p) => {
      const invite = p.invite!;
      return row([
        p.inviteCode,
        nicknameOf(people.get(p.openid)),
        invite.inviterCode,
        '新访客',
        INVITE_STATUS[invite.status] ?? invite.status,
        invite.reason ? (REASONS[invite.reason] ?? invite.reason) : '',
        time(invite.at),
        time(invite.verifiedAt),
        invite.review
          ? `${invite.review.byName}（${invite.review.decision === 'approved' ? '通过' : '驳回'}）`
          : '',
      ]);
    });
  },
);

/** Returning visitors refused when they opened someone's link (invite_rejections). */
const refusalsOfReturning: Source = {
  async read(job) {
    const docs = await pageRejections(job.campaignId, job.cursor, EXPORT_PAGE);
    const people = await peopleOf(docs.map((r) => r.invitee));
    return {
      scanned: docs.length,
      rows: docs.map((r) => {
        const visitor = people.get(r.invitee);
        return row([
          visitor?.inviteCode ?? '',
          nicknameOf(visitor),
          r.inviteCode,
          '老访客',
          '无效',
          REASONS[r.reason] ?? r.reason,
          time(r.at),
          '',
          '',
        ]);
      }),
      next: docs[docs.length - 1]?._id ?? null,
      done: docs.length < EXPORT_PAGE,
    };
  },
  count: (job) => countCampaignRejections(job.campaignId),
};

function kinds(now: Date): Record<ExportKind, Kind> {
  return {
    members: {
      label: '会员名单',
      header: [
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
      ],
      sources: [members],
    },
    coupons: {
      label: '优惠券',
      header: [
        '券编号',
        '券名称',
        '面额',
        '来源',
        '会员编号',
        '昵称',
        '发放时间',
        '到期时间',
        '状态',
        '核销时间',
        '核销人',
      ],
      sources: [couponSource(false, (page) => couponRows(page, false, now))],
    },
    winners: {
      label: '中奖名单',
      header: ['会员编号', '昵称', '成长标签', '奖品', '奖品类型', '中奖时间', '券编号'],
      sources: [winners],
    },
    invites: {
      label: '邀请记录',
      header: [
        '会员编号',
        '昵称',
        '邀请人',
        '访客类型',
        '状态',
        '原因',
        '到达时间',
        '验证时间',
        '审核',
      ],
      sources: [invitesOfNewcomers, refusalsOfReturning],
    },
    redemptions: {
      label: '核销记录',
      header: ['券编号', '券名称', '面额', '会员编号', '昵称', '核销时间', '核销人'],
      sources: [couponSource(true, (page) => couponRows(page, true, now))],
    },
  };
}

// ---- the job ----------------------------------------------------------------------------------

/** About how many records the export will read (for its progress bar). */
export async function exportTotal(job: ExportDoc, now: Date): Promise<number> {
  const counts = await Promise.all(kinds(now)[job.kind].sources.map((s) => s.count(job)));
  return counts.reduce((a, b) => a + b, 0);
}

/**
 * Advances a running export by up to `pages` pages, and writes its file when everything was
 * read. Answers the job as it stands (also when another call holds its step).
 */
export async function advanceJob(
  jobId: string,
  now: Date,
  pages: number,
): Promise<ExportDoc | null> {
  let job = await findExport(jobId);
  if (!job || job.status !== 'running') return job;
  if (!(await takeLease(job._id, now, new Date(now.getTime() + EXPORT_LEASE_MS)))) return job;
  try {
    const kind = kinds(now)[job.kind];
    const campaign = (await findCampaign(job.campaignId))?.config ?? null;
    for (let i = 0; i < pages && job.phase < kind.sources.length; i++) {
      const page: Page = await kind.sources[job.phase].read(job, campaign);
      // a part's path is fixed by its place: a step run again writes the same file
      const part: string | null = page.rows.length
        ? await storeFile(
            `exports/${job._id}/part-${job.parts.length}.csv`,
            Buffer.from(page.rows.join(''), 'utf8'),
          )
        : null;
      const next: Parameters<typeof advanceExport>[1] = {
        phase: page.done ? job.phase + 1 : job.phase,
        cursor: page.done ? null : page.next,
        part,
        rows: page.rows.length,
        scanned: page.scanned,
      };
      if (!(await advanceExport(job, next))) return await findExport(jobId);
      job = {
        ...job,
        phase: next.phase,
        cursor: next.cursor,
        parts: part ? [...job.parts, part] : job.parts,
        rows: job.rows + next.rows,
        scanned: job.scanned + next.scanned,
      };
    }
    if (job.phase >= kind.sources.length) await writeFile(job, kind, now);
  } finally {
    await releaseLease(job._id);
  }
  return findExport(jobId);
}

async function writeFile(job: ExportDoc, kind: Kind, now: Date): Promise<void> {
  const parts: Buffer[] = [];
  for (const part of job.parts) parts.push(await readFile(part));
  const body = Buffer.concat([Buffer.from(UTF8_BOM + csvRow(kind.header), 'utf8'), ...parts]);
  const stamp = formatShanghai(job.createdAt, 'YYYYMMDD-HHmm');
  const fileID = await storeFile(`exports/${job._id}/${job.kind}-${stamp}.csv`, body);
  await finishExport(
    job._id,
    { status: 'done', fileID, fileName: `${kind.label}-${stamp}.csv` },
    now,
  );
}

/** The job as the admin sees it: progress, and a temporary URL once the file is written. */
export async function exportView(job: ExportDoc): Promise<ExportJob> {
  return {
    jobId: job._id,
    kind: job.kind,
    status: job.status,
    rows: job.rows,
    scanned: job.scanned,
    total: Math.max(job.total, job.scanned),
    createdAt: job.createdAt.toISOString(),
    ...(job.finishedAt ? { finishedAt: job.finishedAt.toISOString() } : {}),
    ...(job.status === 'done' && job.fileID ? { url: await displayUrl(job.fileID) } : {}),
    ...(job.fileName ? { fileName: job.fileName } : {}),
  };
}
