/**
 * Operator studio (issue 9): the campaign editor's and lifecycle's actions, owners only.
 *
 * - `campaign.list`: every campaign, newest first, with its status and headline figures (from
 *   its counters: one query for all of them).
 * - `campaign.create`: a draft from a whole config, or a clone of an earlier campaign.
 * - `campaign.update`: a draft's or a running campaign's new config, saved only if nobody saved
 *   since the operator loaded it (`expectedUpdatedAt`), else CONFLICT with a reload.
 * - `campaign.setStatus`: publish, pause, resume, end (domain/lifecycle.ts).
 * - `campaign.adjustStock`: one prize's stock moved by a delta, safely while people spin.
 *
 * Every config is validated in full before anything is written; its problems come back as
 * BAD_REQUEST issues at `config.<field>`, in Chinese, for the editor to show beside the field.
 */
import { randomBytes } from 'node:crypto';
import { parseCampaign, type Campaign } from '../../_shared/campaign';
import type { AdminResults, CampaignStatusTarget, CampaignSummary } from '../../_shared/contracts';
import type { ActionContext } from '../../_shared/dispatch';
import {
  campaignStatus,
  nextVersion,
  planStatusChange,
  publishRefusal,
} from '../../_shared/domain/lifecycle';
import { DAY_MS, shanghaiDayStart } from '../../_shared/domain/time';
import { configWarnings } from '../../_shared/domain/warnings';
import { fail } from '../../_shared/errors';
import { prepareCampaign, stockCut } from '../../_shared/flows/campaign-save';
import {
  changeStatus,
  createCampaign,
  findActiveCampaign,
  findCampaign,
  listCampaigns,
  saveIfCurrent,
  takeVisitorSlot,
  type CampaignDoc,
} from '../../_shared/repositories/campaigns';
import { readCountersOf } from '../../_shared/repositories/counters';
import { parsedOrRefused, toIssue } from './campaign';

type Saved = AdminResults['campaign.create'];

/** A campaign's headline figures (Retention, issue 15: the dashboard compares two campaigns). */
const SUMMARY_FIGURES: ReadonlyArray<keyof CampaignSummary['figures']> = [
  'visitors',
  'claims',
  'invitesVerified',
  'cardsUnlocked',
  'couponsRedeemed',
  'spinners',
  'inviters',
  'groupJoins',
  'couponsIssued',
  'redeemedValue',
  'redeemers',
  'repeatRedeemers',
];

/** Concurrent saves of one campaign each re-read and try again (a few operators at most). */
const MAX_ATTEMPTS = 10;

export async function listStudioCampaigns(
  _params: object,
  { now }: ActionContext,
): Promise<AdminResults['campaign.list']> {
  const docs = await listCampaigns();
  const counters = await readCountersOf(docs.map((d) => d._id));
  const campaigns = docs.map((doc): CampaignSummary => {
    const figures = counters.get(doc._id) ?? new Map<string, number>();
    const figure = (key: string) => figures.get(key) ?? 0;
    return {
      id: doc._id,
      title: doc.config.title,
      status: campaignStatus(doc.status, doc.config, now),
      active: doc.active,
      startAt: doc.config.startAt,
      endAt: doc.config.endAt,
      createdAt: (doc.createdAt ?? doc.updatedAt).toISOString(),
      updatedAt: doc.updatedAt.toISOString(),
      ...(doc.clonedFrom ? { clonedFrom: doc.clonedFrom } : {}),
      ...(doc.status === 'ended' && doc.statusAt && doc.statusAt < new Date(doc.config.endAt)
        ? { endedAt: doc.statusAt.toISOString() }
        : {}),
      figures: Object.fromEntries(
        SUMMARY_FIGURES.map((key) => [key, figure(key)]),
      ) as CampaignSummary['figures'],
    };
  });
  return { campaigns, serverNow: now.toISOString() };
}

export async function createStudioCampaign(
  params: { config?: Record<string, unknown>; cloneOf?: string; id?: string },
  { now }: ActionContext,
): Promise<Saved> {
  let campaign: Campaign;
  let clonedFrom: string | undefined;
  if (params.cloneOf) {
    const source = await findCampaign(params.cloneOf);
    if (!source) return fail('NOT_FOUND', '要复制的活动不存在');
    const id = params.id ?? (await freeId(source._id));
    campaign = parsedOrRefused(cloneConfig(source.config, id, now));
    clonedFrom = source._id;
  } else {
    campaign = parsedOrRefused(params.config);
  }
  const doc: CampaignDoc = {
    _id: campaign.id,
    config: campaign,
    active: false,
    status: 'draft',
    statusAt: now,
    createdAt: now,
    updatedAt: now,
    ...(clonedFrom ? { clonedFrom } : {}),
  };
  if (!(await createCampaign(doc))) {
    const message = `活动编号 ${campaign.id} 已被使用，请换一个`;
    return fail('BAD_REQUEST', message, { issues: [{ path: 'config.id', message }] });
  }
  await prepareCampaign(campaign);
  return saved(doc, now);
}

export async function updateStudioCampaign(
  params: { id: string; config: Record<string, unknown>; expectedUpdatedAt: string },
  { now }: ActionContext,
): Promise<Saved> {
  const campaign = parsedOrRefused(params.config);
  if (campaign.id !== params.id) {
    const message = '活动编号不能修改；要换编号，请复制为新活动';
    return fail('BAD_REQUEST', message, { issues: [{ path: 'config.id', message }] });
  }
  const doc = await editable(params.id, now);
  const loaded = new Date(params.expectedUpdatedAt);
  if (doc.updatedAt.getTime() !== loaded.getTime()) return stale(doc);
  const cut = await stockCut(campaign);
  if (cut) {
    return fail('BAD_REQUEST', cut.message, {
      issues: [{ path: `config.lottery.prizes.${cut.index}.stock`, message: cut.message }],
    });
  }
  const version = nextVersion(doc.updatedAt, now);
  if (!(await saveIfCurrent(doc._id, campaign, doc.updatedAt, version))) {
    return stale((await findCampaign(doc._id)) ?? doc);
  }
  // A cut that a spin made impossible meanwhile leaves the stock as it was (the next save that
  // fits, or the reconciler for the visitor slot's campaign, brings it in line).
  await prepareCampaign(campaign);
  return saved({ ...doc, config: campaign, updatedAt: version }, now);
}

export async function setStudioStatus(
  { id, status: target }: { id: string; status: CampaignStatusTarget },
  { now }: ActionContext,
): Promise<AdminResults['campaign.setStatus']> {
  const doc = await findCampaign(id);
  if (!doc) return fail('NOT_FOUND', '没有这个活动');
  const current = campaignStatus(doc.status, doc.config, now);
  const change = planStatusChange(current, doc.status, target);
  const answer = (stored: CampaignDoc) => ({
    id,
    status: campaignStatus(stored.status, stored.config, now),
    active: stored.active,
  });
  switch (change.kind) {
    case 'unchanged':
      return answer(doc);
    case 'refused':
      return fail('CONFLICT', change.message);
    case 'publish': {
      const late = publishRefusal(doc.config, now);
      if (late) return fail('CONFLICT', late);
      await prepareCampaign(doc.config);
      const holder = await findActiveCampaign();
      const moved = await takeVisitorSlot({ id }, holder?._id ?? null, now);
      if (moved === 'conflict') return fail('CONFLICT', '另一位运营同时切换了活动，请刷新后重试');
      if (moved === 'not-draft') return answerAgain(id, target, now, answer);
      return answer({ ...doc, status: 'published', active: true });
    }
    case 'set':
      if (!(await changeStatus(id, change.from, change.to, now))) {
        return answerAgain(id, target, now, answer);
      }
      return answer({ ...doc, status: change.to });
  }
}

export async function adjustStudioStock(
  { id, prizeId, delta }: { id: string; prizeId: string; delta: number },
  { now }: ActionContext,
): Promise<AdminResults['campaign.adjustStock']> {
  for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
    const doc = await editable(id, now);
    const index = doc.config.lottery.prizes.findIndex((p) => p.id === prizeId);
    const prize = doc.config.lottery.prizes[index];
    if (!prize) return fail('NOT_FOUND', '没有这个奖品');
    const path = `lottery.prizes.${index}.stock`;
    if (prize.stock === null) {
      return refuseAt(path, `「${prize.name}」不限量，无需调整库存`);
    }
    const stock = prize.stock + delta;
    if (stock < 0)
      return refuseAt(path, `「${prize.name}」库存只有 ${prize.stock}，最多减少 ${prize.stock}`);
    const config = structuredClone(doc.config);
    config.lottery.prizes[index].stock = stock;
    const parsed = parseCampaign(config);
    if (!parsed.ok) {
      return fail('BAD_REQUEST', parsed.problems[0].message, {
        issues: parsed.problems.map(toIssue),
      });
    }
    const cut = await stockCut(parsed.campaign);
    if (cut) return refuseAt(path, cut.message);
    const version = nextVersion(doc.updatedAt, now);
    // Another save or adjustment got in first: read again and apply the delta to that.
    if (!(await saveIfCurrent(id, parsed.campaign, doc.updatedAt, version))) continue;
    await prepareCampaign(parsed.campaign);
    return { id, prizeId, stock, updatedAt: version.toISOString() };
  }
  return fail('CONFLICT', '活动正被频繁修改，请稍后重试');
}

/** The campaign, if it can still be edited (it has not ended). */
async function editable(id: string, now: Date): Promise<CampaignDoc> {
  const doc = await findCampaign(id);
  if (!doc) return fail('NOT_FOUND', '没有这个活动');
  if (campaignStatus(doc.status, doc.config, now) === 'ended') {
    return fail('CONFLICT', '活动已结束，不能再修改；可以复制它作为新活动');
  }
  return doc;
}

function stale(current: CampaignDoc): never {
  return fail(
    'CONFLICT',
    `活动已被其他人修改（${current.updatedAt.toISOString()} 保存），请重新载入后再改`,
  );
}

function refuseAt(field: string, message: string): never {
  return fail('BAD_REQUEST', message, { issues: [{ path: `config.${field}`, message }] });
}

/**
 * A status change that lost a race: if what is stored now is what was asked (another operator
 * asked the same at the same moment, or this is a retry), answer it; else CONFLICT.
 */
async function answerAgain<T>(
  id: string,
  target: CampaignStatusTarget,
  now: Date,
  answer: (doc: CampaignDoc) => T,
): Promise<T> {
  const again = await findCampaign(id);
  if (!again) return fail('NOT_FOUND', '没有这个活动');
  const status = campaignStatus(again.status, again.config, now);
  const reached =
    target === 'live' ? status === 'live' || status === 'scheduled' : status === target;
  if (reached) return answer(again);
  return fail('CONFLICT', '活动状态刚被其他人修改，请刷新后重试');
}

function saved(doc: CampaignDoc, now: Date): Saved {
  return {
    id: doc._id,
    updatedAt: doc.updatedAt.toISOString(),
    status: campaignStatus(doc.status, doc.config, now),
    warnings: configWarnings(doc.config),
  };
}

/** `demo-opening` → the first of `demo-opening-2`, `-3`, … nobody uses. */
async function freeId(sourceId: string): Promise<string> {
  const base = sourceId.replace(/-\d+$/, '').slice(0, 28);
  for (let n = 2; n < 100; n++) {
    const id = `${base}-${n}`;
    if (!(await findCampaign(id))) return id;
  }
  return `${base}-${randomBytes(2).toString('hex')}`;
}

/**
 * A clone's config: the same campaign under a new id and a title marked as a copy. A campaign
 * that is already over is moved, every instant by the same amount, to start at the beginning of
 * tomorrow (Shanghai): an operator cloning last month's campaign wants next month's, not a draft
 * that cannot be published.
 */
export function cloneConfig(source: Campaign, id: string, now: Date): Campaign {
  const config = structuredClone(source);
  config.id = id;
  config.title = `${source.title}（副本）`.slice(0, 40);
  if (Date.parse(source.endAt) <= now.getTime()) {
    const tomorrow = shanghaiDayStart(now).getTime() + DAY_MS;
    const shift = tomorrow - Date.parse(source.startAt);
    const moved = (iso: string) => new Date(Date.parse(iso) + shift).toISOString();
    config.startAt = moved(source.startAt);
    config.endAt = moved(source.endAt);
    config.magnet.claimWindow = {
      startAt: moved(source.magnet.claimWindow.startAt),
      endAt: moved(source.magnet.claimWindow.endAt),
    };
    for (const template of config.couponTemplates) {
      if (template.validUntil) template.validUntil = moved(template.validUntil);
    }
  }
  return config;
}
