/**
 * `export.create`, `export.get`, `export.list` (People console, issue 13): CSV exports of the
 * active campaign, advanced a page at a time (flows/export). Creating one runs its first steps;
 * the admin page polls `export.get`, which shows the progress and advances the job; cron also
 * advances jobs nobody is watching.
 */
import { randomBytes } from 'node:crypto';
import type { AdminResults, ExportKind } from '../../_shared/contracts';
import type { ActionContext } from '../../_shared/dispatch';
import { fail } from '../../_shared/errors';
import { advanceJob, exportTotal, exportView } from '../../_shared/flows/export';
import { EXPORT_PAGES_PER_CALL } from '../../_shared/limits';
import type { AdminDoc } from '../../_shared/repositories/admins';
import { findActiveCampaign } from '../../_shared/repositories/campaigns';
import {
  createExport,
  findRecentExports,
  type ExportDoc,
  type ExportFilter,
} from '../../_shared/repositories/exports';
import { recordAct } from '../members';

type Context = ActionContext & { auth: AdminDoc };

const KIND_LABELS: Record<ExportKind, string> = {
  members: '会员名单',
  coupons: '优惠券',
  winners: '中奖名单',
  invites: '邀请记录',
  redemptions: '核销记录',
};
const RECENT_EXPORTS = 10;

export async function createExportJob(
  params: { kind: ExportKind; filter?: ExportFilter },
  { now, auth }: Context,
): Promise<AdminResults['export.create']> {
  const campaignDoc = await findActiveCampaign();
  if (!campaignDoc) return fail('CAMPAIGN_NOT_ACTIVE', '没有进行中的活动');
  const job: ExportDoc = {
    _id: `ex_${randomBytes(8).toString('hex')}`,
    kind: params.kind,
    filter: params.filter ?? {},
    campaignId: campaignDoc._id,
    createdAt: now,
    createdBy: auth._id,
    createdByName: auth.name,
    status: 'running',
    phase: 0,
    cursor: null,
    parts: [],
    rows: 0,
    scanned: 0,
    total: 0,
    leaseUntil: null,
    fileID: null,
    fileName: null,
    finishedAt: null,
  };
  job.total = await exportTotal(job, now);
  if (!(await createExport(job))) return fail('CONFLICT', '导出任务冲突，请重试');
  await recordAct({
    cause: `export:${job._id}`,
    action: 'export',
    auth,
    at: now,
    member: null,
    campaignId: campaignDoc._id,
    detail: `导出${KIND_LABELS[job.kind]}${filterText(job.filter)}`,
  });
  return exportView((await advanceJob(job._id, now, EXPORT_PAGES_PER_CALL)) ?? job);
}

export async function getExportJob(
  { jobId }: { jobId: string },
  { now }: ActionContext,
): Promise<AdminResults['export.get']> {
  const job = await advanceJob(jobId, now, EXPORT_PAGES_PER_CALL);
  if (!job) return fail('NOT_FOUND', '导出任务不存在');
  return exportView(job);
}

export async function listExportJobs(
  _params: object,
  _context: ActionContext,
): Promise<AdminResults['export.list']> {
  const jobs = await findRecentExports(RECENT_EXPORTS);
  return { jobs: await Promise.all(jobs.map(exportView)) };
}

function filterText(filter: ExportFilter): string {
  const parts = [
    filter.tag ? `标签 ${filter.tag}` : '',
    filter.channel ? `渠道 ${filter.channel}` : '',
    filter.blocked === true ? '已停用' : filter.blocked === false ? '未停用' : '',
  ].filter(Boolean);
  return parts.length ? `（${parts.join('，')}）` : '';
}
