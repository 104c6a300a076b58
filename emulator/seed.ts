/**
 * First-start data for the local emulator: the demo campaign (active), an owner admin
 * `demo-admin`, a staff account `demo-staff`, and a pool of three group QR codes whose images
 * are stored in the emulated cloud storage. Nothing is written when a campaign already exists.
 * The campaign is put through the real `admin` function, as an operator would: the same
 * validation, and the same stock and counter documents.
 */
import QRCode from 'qrcode';
import { COLLECTIONS } from '../cloudfunctions/_shared/collections';
import { demoCampaign } from '../cloudfunctions/_shared/demo-campaign';
import type { EmulatedWxServerSdk } from './wx-server-sdk';

/** Calls a function as a user (the emulator's runner). */
export type Invoke = (name: string, event: unknown, openid: string) => Promise<unknown>;

export const DEMO_ADMIN_OPENID = 'demo-admin';
export const DEMO_STAFF_OPENID = 'demo-staff';

const DAY_MS = 24 * 60 * 60 * 1000;

export async function seedIfEmpty(
  sdk: EmulatedWxServerSdk,
  invoke: Invoke,
  nowMs: number,
): Promise<boolean> {
  const db = sdk.database();
  const existing = await db.collection(COLLECTIONS.campaigns).count();
  if (existing.total > 0) return false;

  const now = new Date(nowMs);
  const campaign = demoCampaign(now);
  // The demo's images live in (emulated) cloud storage, as an operator's uploads would.
  campaign.magnet.image = await store(sdk, 'demo/hero.svg', heroImage(campaign.title));
  campaign.groups.fallbackContact.qrUrl = await store(
    sdk,
    'demo/contact-qr.svg',
    await qrSvg('https://u.wechat.com/demo-shop-manager'),
  );
  await db.collection(COLLECTIONS.admins).add({
    data: { _id: DEMO_ADMIN_OPENID, role: 'owner', name: '演示运营' },
  });
  await db.collection(COLLECTIONS.admins).add({
    data: { _id: DEMO_STAFF_OPENID, role: 'staff', name: '演示店员' },
  });
  const put = (await invoke(
    'admin',
    { action: 'campaign.put', config: campaign },
    DEMO_ADMIN_OPENID,
  )) as { ok: boolean; error?: { message: string } };
  if (!put.ok) throw new Error(`the demo campaign was refused: ${put.error?.message}`);

  const pool = [
    { id: 'demo-group-1', name: '福利群 1 群', expiresInDays: 6 },
    { id: 'demo-group-2', name: '福利群 2 群', expiresInDays: 6 },
    { id: 'demo-group-3', name: '福利群 3 群', expiresInDays: 7 },
  ];
  for (const [index, group] of pool.entries()) {
    // A stand-in for the QR image an operator uploads: it encodes a made-up group link.
    const qrUrl = await store(
      sdk,
      `groups/${group.id}.svg`,
      await qrSvg(`https://weixin.qq.com/g/${group.id}`),
    );
    await db.collection(COLLECTIONS.groups).add({
      data: {
        _id: group.id,
        name: group.name,
        qrUrl,
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

async function store(sdk: EmulatedWxServerSdk, cloudPath: string, svg: string): Promise<string> {
  return (await sdk.uploadFile({ cloudPath, fileContent: Buffer.from(svg) })).fileID;
}

/** SVG, because rasterising a PNG costs seconds under jest and every test seeds. */
function qrSvg(text: string): Promise<string> {
  return QRCode.toString(text, { type: 'svg', margin: 2 });
}

/** A banner for the demo's lead magnet: tea-green hills, a cup, the campaign's name. */
function heroImage(title: string): string {
  const name = title.split('·')[0].trim();
  return `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 750 420" width="750" height="420">
  <defs>
    <linearGradient id="sky" x1="0" y1="0" x2="0" y2="1">
      <stop offset="0" stop-color="#F7F1E6"/><stop offset="1" stop-color="#E8DCC4"/>
    </linearGradient>
  </defs>
  <rect width="750" height="420" fill="url(#sky)"/>
  <circle cx="600" cy="110" r="56" fill="#E9B949" opacity="0.85"/>
  <path d="M0 300 C150 220 260 250 380 290 C500 330 620 250 750 270 L750 420 L0 420 Z" fill="#7FA37A"/>
  <path d="M0 350 C170 300 300 330 430 360 C560 390 650 330 750 340 L750 420 L0 420 Z" fill="#2F5D50"/>
  <g transform="translate(120 190)">
    <rect x="0" y="20" width="120" height="110" rx="18" fill="#FFFDF8" stroke="#2F5D50" stroke-width="6"/>
    <path d="M120 45 q40 0 40 32 q0 32 -40 32" fill="none" stroke="#2F5D50" stroke-width="6"/>
    <path d="M30 0 q12 -18 0 -36 M60 0 q12 -18 0 -36 M90 0 q12 -18 0 -36" stroke="#7FA37A" stroke-width="5" fill="none"/>
  </g>
  <text x="300" y="190" font-family="PingFang SC, Noto Sans CJK SC, sans-serif" font-size="52" font-weight="700" fill="#2F5D50">${escapeXml(name)}</text>
  <text x="302" y="240" font-family="PingFang SC, Noto Sans CJK SC, sans-serif" font-size="28" fill="#5B6B5F">新店开业 · 福利免费领</text>
</svg>`;
}

function escapeXml(text: string): string {
  return text.replace(/[<>&"']/g, (c) => `&#${c.charCodeAt(0)};`);
}
