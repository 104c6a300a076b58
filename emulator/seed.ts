/**
 * First-start data for the local emulator: the demo campaign (active), an owner admin
 * `demo-admin`, a staff account `demo-staff`, and a pool of three group QR codes whose images
 * are stored in the emulated cloud storage. Nothing is written when a campaign already exists.
 */
import QRCode from 'qrcode';
import { COLLECTIONS, emptyCounterShards } from '../cloudfunctions/_shared/collections';
import { demoCampaign } from '../cloudfunctions/_shared/demo-campaign';
import { initialStock } from '../cloudfunctions/_shared/domain/lottery';
import type { CampaignDoc } from '../cloudfunctions/_shared/repositories/campaigns';
import type { EmulatedWxServerSdk } from './wx-server-sdk';

export const DEMO_ADMIN_OPENID = 'demo-admin';
export const DEMO_STAFF_OPENID = 'demo-staff';

const DAY_MS = 24 * 60 * 60 * 1000;

export async function seedIfEmpty(sdk: EmulatedWxServerSdk, nowMs: number): Promise<boolean> {
  const db = sdk.database();
  const existing = await db.collection(COLLECTIONS.campaigns).count();
  if (existing.total > 0) return false;

  const now = new Date(nowMs);
  const campaign = demoCampaign(now);
  await db.collection(COLLECTIONS.campaigns).add({
    data: {
      _id: campaign.id,
      config: campaign,
      active: true,
      updatedAt: now,
      stock: initialStock(campaign.lottery.prizes),
    } satisfies CampaignDoc,
  });
  for (const shard of emptyCounterShards(campaign.id)) {
    await db.collection(COLLECTIONS.counters).add({ data: shard });
  }
  await db.collection(COLLECTIONS.admins).add({
    data: { _id: DEMO_ADMIN_OPENID, role: 'owner', name: '演示运营' },
  });
  await db.collection(COLLECTIONS.admins).add({
    data: { _id: DEMO_STAFF_OPENID, role: 'staff', name: '演示店员' },
  });

  const pool = [
    { id: 'demo-group-1', name: '福利群 1 群', expiresInDays: 6 },
    { id: 'demo-group-2', name: '福利群 2 群', expiresInDays: 6 },
    { id: 'demo-group-3', name: '福利群 3 群', expiresInDays: 7 },
  ];
  for (const [index, group] of pool.entries()) {
    // A stand-in for the QR image an operator uploads: it encodes a made-up group link. SVG,
    // because rasterising a PNG costs seconds under jest and every test seeds.
    const image = await QRCode.toString(`https://weixin.qq.com/g/${group.id}`, {
      type: 'svg',
      margin: 2,
    });
    const upload = await sdk.uploadFile({
      cloudPath: `groups/${group.id}.svg`,
      fileContent: Buffer.from(image),
    });
    await db.collection(COLLECTIONS.groups).add({
      data: {
        _id: group.id,
        name: group.name,
        qrUrl: upload.fileID,
        expiresAt: new Date(nowMs + group.expiresInDays * DAY_MS),
        capacity: campaign.groups.defaultCapacity,
        handedOut: 0,
        active: true,
        // Distinct instants keep the pool order stable.
        createdAt: new Date(nowMs + index),
      },
    });
  }
  return true;
}
