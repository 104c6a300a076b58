/**
 * Distribution (issue 10), the operator's channels (渠道): `channels.list`, `channels.upsert` and
 * `channels.qrcode`. A channel's Mini Program code (scene `.<code>`, opening the landing page) is
 * made once and kept with the channel, which outlives the campaign: what is printed on a counter
 * keeps working. See repositories/channels.ts for how it meets the campaign config's channels.
 */
import type { Campaign } from '../../_shared/campaign';
import { displayUrls, makeMiniProgramCode } from '../../_shared/cloud';
import type { AdminResults, ChannelView, StoredCode } from '../../_shared/contracts';
import type { ActionContext } from '../../_shared/dispatch';
import { RESERVED_CHANNEL_CODES } from '../../_shared/domain/channels';
import { fail } from '../../_shared/errors';
import { findActiveCampaign, type CampaignDoc } from '../../_shared/repositories/campaigns';
import {
  createChannel,
  findChannel,
  findChannels,
  keepChannelQr,
  updateChannel,
  type ChannelDoc,
} from '../../_shared/repositories/channels';
import type { StoredCodeDoc } from '../../_shared/user';
import { PAGES } from '../../../miniprogram/utils/routes';
import { sceneOf } from '../../../miniprogram/utils/scene';

export async function listChannels(
  _params: object,
  _context: ActionContext,
): Promise<AdminResults['channels.list']> {
  const [registry, campaignDoc] = await Promise.all([findChannels(), findActiveCampaign()]);
  const urls = await displayUrls(registry.flatMap((d) => (d.qrcode ? [d.qrcode.fileID] : [])));
  const views = registry.map((doc) => registryView(doc, campaignDoc, urls));
  // the campaign's own channels not registered yet (their code is made on first request)
  for (const c of campaignDoc?.config.channels ?? []) {
    if (RESERVED_CHANNEL_CODES.includes(c.code) || views.some((v) => v.code === c.code)) continue;
    views.push({
      code: c.code,
      name: c.name,
      note: '',
      ...(c.cost !== undefined ? { cost: c.cost } : {}),
      source: 'campaign',
    });
  }
  return { channels: views };
}

interface UpsertParams {
  code: string;
  name: string;
  cost?: number;
  note?: string;
}

export async function upsertChannel(
  params: UpsertParams,
  { now }: ActionContext,
): Promise<AdminResults['channels.upsert']> {
  refuseReserved(params.code);
  const campaignDoc = await findActiveCampaign();
  if (params.cost !== undefined && !campaignDoc) {
    return fail('CAMPAIGN_NOT_ACTIVE', '没有进行中的活动：渠道花费按活动记录，请先发布活动');
  }
  const cost =
    params.cost !== undefined && campaignDoc
      ? { campaignId: campaignDoc._id, fen: params.cost }
      : undefined;
  const created = await createChannel({
    _id: params.code,
    name: params.name,
    note: params.note ?? '',
    costs: cost ? { [cost.campaignId]: cost.fen } : {},
    qrcode: null,
    createdAt: now,
    updatedAt: now,
  });
  if (!created)
    await updateChannel(params.code, { name: params.name, note: params.note, cost }, now);
  const doc = await findChannel(params.code);
  if (!doc) return fail('CONFLICT', '渠道保存冲突，请重试');
  const urls = await displayUrls(doc.qrcode ? [doc.qrcode.fileID] : []);
  return registryView(doc, campaignDoc, urls);
}

export async function channelQrcode(
  { code }: { code: string },
  { now }: ActionContext,
): Promise<AdminResults['channels.qrcode']> {
  refuseReserved(code);
  let doc = await findChannel(code);
  if (!doc) doc = await registerCampaignChannel(code, now);
  let qrcode = doc.qrcode;
  if (!qrcode) {
    const scene = sceneOf({ channel: code });
    const fileID = await makeMiniProgramCode(scene, PAGES.landing, `codes/channels/${code}.png`);
    const made: StoredCodeDoc = { scene, page: PAGES.landing, fileID, at: now };
    qrcode = (await keepChannelQr(code, made)) ? made : ((await findChannel(code))?.qrcode ?? made);
  }
  const urls = await displayUrls([qrcode.fileID]);
  return storedCode(qrcode, urls);
}

/** A channel only the campaign's config lists joins the registry when its code is first made. */
async function registerCampaignChannel(code: string, now: Date): Promise<ChannelDoc> {
  const campaign: Campaign | undefined = (await findActiveCampaign())?.config;
  const listed = campaign?.channels.find((c) => c.code === code);
  if (!listed) return fail('NOT_FOUND', `没有代码为 ${code} 的渠道，请先添加渠道`);
  await createChannel({
    _id: code,
    name: listed.name,
    note: '',
    costs: {},
    qrcode: null,
    createdAt: now,
    updatedAt: now,
  });
  return (await findChannel(code)) ?? fail('CONFLICT', '渠道保存冲突，请重试');
}

function refuseReserved(code: string): void {
  if (!RESERVED_CHANNEL_CODES.includes(code)) return;
  const message = `渠道代码 ${code} 由系统使用（好友分享、直接访问、其他），请换一个`;
  fail('BAD_REQUEST', message, { issues: [{ path: 'code', message }] });
}

function registryView(
  doc: ChannelDoc,
  campaignDoc: CampaignDoc | null,
  urls: ReadonlyMap<string, string>,
): ChannelView {
  const campaignId = campaignDoc?._id;
  const own =
    campaignId && Object.prototype.hasOwnProperty.call(doc.costs, campaignId)
      ? doc.costs[campaignId]
      : undefined;
  const cost = own ?? campaignDoc?.config.channels.find((c) => c.code === doc._id)?.cost;
  return {
    code: doc._id,
    name: doc.name,
    note: doc.note,
    ...(cost !== undefined ? { cost } : {}),
    ...(doc.qrcode ? { qrcode: storedCode(doc.qrcode, urls) } : {}),
    source: 'registry',
  };
}

function storedCode(code: StoredCodeDoc, urls: ReadonlyMap<string, string>): StoredCode {
  return {
    scene: code.scene,
    page: code.page,
    fileID: code.fileID,
    url: urls.get(code.fileID) ?? code.fileID,
  };
}
