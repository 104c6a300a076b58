/**
 * 渠道 (`channels`, `_id` = the channel's code): where visitors come from — a shop-counter card, a
 * poster, a KOC. An operator prints a channel's Mini Program code once, so a channel outlives a
 * campaign: the code on the counter keeps attributing visitors when the next campaign starts.
 * Its spend is per campaign (`costs.<campaignId>`, fen): a new campaign starts with none.
 *
 * The campaign config's `channels[]` (SPEC §2) still names channels and their spend; a channel
 * in both is one channel, the registry's name and spend winning (stats.overview, channels.list).
 *
 * | operation     | rule                                                                      |
 * | ------------- | ------------------------------------------------------------------------- |
 * | createChannel | one channel per code (unique `_id`)                                       |
 * | updateChannel | name, note and this campaign's spend of an existing channel               |
 * | keepChannelQr | a channel's code is made once: recorded only while it has none            |
 */
import { db } from '../cloud';
import { COLLECTIONS } from '../collections';
import { byId, command, insert, many, updateWhere } from '../db';
import { CHANNELS_LIMIT, DISTRIBUTION_CACHE_TTL_MS } from '../limits';
import type { StoredCodeDoc } from '../user';

export interface ChannelDoc {
  _id: string;
  name: string;
  note: string;
  /** spend per campaign: campaign id → fen */
  costs: Record<string, number>;
  qrcode: StoredCodeDoc | null;
  createdAt: Date;
  updatedAt: Date;
}

export function findChannel(code: string): Promise<ChannelDoc | null> {
  return byId<ChannelDoc>(COLLECTIONS.channels, code);
}

/** Every registered channel, oldest first (bounded: CHANNELS_LIMIT). */
export function findChannels(): Promise<ChannelDoc[]> {
  return many<ChannelDoc>(
    db().collection(COLLECTIONS.channels).orderBy('createdAt', 'asc').limit(CHANNELS_LIMIT),
  );
}

/** Rule: one channel per code. False when the code is taken (the caller updates instead). */
export function createChannel(doc: ChannelDoc): Promise<boolean> {
  return insert(COLLECTIONS.channels, doc);
}

export async function updateChannel(
  code: string,
  fields: { name: string; note?: string; cost?: { campaignId: string; fen: number } },
  now: Date,
): Promise<boolean> {
  const data: Record<string, unknown> = { name: fields.name, updatedAt: now };
  if (fields.note !== undefined) data.note = fields.note;
  if (fields.cost) data[`costs.${fields.cost.campaignId}`] = fields.cost.fen;
  return (await updateWhere(COLLECTIONS.channels, { _id: code }, data)) === 1;
}

/**
 * Rule: a channel's Mini Program code is made once. Recorded only while the channel has none, so
 * of two concurrent first requests one is kept and the other reads it.
 */
export async function keepChannelQr(code: string, qrcode: StoredCodeDoc): Promise<boolean> {
  const _ = command();
  const kept = await updateWhere(
    COLLECTIONS.channels,
    { _id: code, qrcode: _.eq(null) },
    { qrcode: _.set(qrcode) },
  );
  return kept === 1;
}

let cache: { codes: ReadonlySet<string>; fetchedAt: number } | null = null;

/**
 * The registered codes, from this container's cache when fresh: a visit through a printed code
 * is attributed to it whatever the campaign's config lists. Only read when a visit names a
 * channel the campaign does not know.
 */
export async function registeredChannelCodes(now: Date): Promise<ReadonlySet<string>> {
  const at = now.getTime();
  if (cache && at - cache.fetchedAt < DISTRIBUTION_CACHE_TTL_MS && cache.fetchedAt <= at) {
    return cache.codes;
  }
  const docs = await many<Pick<ChannelDoc, '_id'>>(
    db().collection(COLLECTIONS.channels).limit(CHANNELS_LIMIT).field({ _id: true }),
  );
  cache = { codes: new Set(docs.map((d) => d._id)), fetchedAt: at };
  return cache.codes;
}
