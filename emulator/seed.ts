/**
 * First-start data for the local emulator: the demo campaign (active), an owner admin
 * `demo-admin`, a staff account `demo-staff`, and a pool of three group QR codes whose images
 * are stored in the emulated cloud storage, as is the lead magnet's recipe booklet (a PDF).
 * Nothing is written when a campaign already exists. The campaign is put through the real
 * `admin` function, as an operator would: the same validation, and the same stock and counter
 * documents.
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
  // The 资料包: the booklet itself, in storage; answers turn its fileID into a temporary URL.
  const booklet = await store(sdk, 'demo/summer-recipes.pdf', recipeBooklet());
  campaign.magnet.reward.resourceUrl = booklet;
  for (const prize of campaign.lottery.prizes) {
    if (prize.kind === 'resource') prize.resourceUrl = booklet;
  }
  await db.collection(COLLECTIONS.admins).add({
    // Rewards (issue 12): each binding redeems for a store (the ledger records it)
    data: { _id: DEMO_ADMIN_OPENID, role: 'owner', name: '演示运营', store: '山野茶事 · 总店' },
  });
  await db.collection(COLLECTIONS.admins).add({
    data: { _id: DEMO_STAFF_OPENID, role: 'staff', name: '演示店员', store: '山野茶事 · 万象城店' },
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

async function store(
  sdk: EmulatedWxServerSdk,
  cloudPath: string,
  content: string | Buffer,
): Promise<string> {
  return (await sdk.uploadFile({ cloudPath, fileContent: Buffer.from(content) })).fileID;
}

/** The URL the emulator's gateway serves a stored file at (what getTempFileURL answers). */
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

/** The demo's lead magnet, 《夏日特调配方手册》: twelve recipes, as the shop would hand them out. */
const RECIPES: Array<[name: string, ingredients: string, method: string]> = [
  [
    '杨枝甘露',
    '芒果 150 克、西柚半个、西米 20 克、椰浆 60 毫升、牛奶 80 毫升',
    '西米煮至透明后过凉；一半芒果打成泥，与椰浆、牛奶拌匀，加入西米、芒果丁和西柚粒。',
  ],
  [
    '桂花乌龙冷萃',
    '乌龙茶 8 克、冷水 500 毫升、干桂花 1 克、蜂蜜适量',
    '茶叶和桂花用冷水浸泡，冷藏 8 小时后滤出，按口味调入蜂蜜。',
  ],
  [
    '柠檬茉莉绿茶',
    '茉莉绿茶 5 克、柠檬 2 片、冰糖浆 15 毫升、冰块',
    '85℃ 热水 200 毫升泡茶 3 分钟，加糖浆摇匀，倒入满杯冰块，放上柠檬片。',
  ],
  [
    '荔枝玫瑰气泡饮',
    '荔枝 6 颗、玫瑰花茶 3 克、苏打水 200 毫升、青柠半个',
    '玫瑰花茶用 100 毫升热水泡开放凉；荔枝去核捣碎，与花茶、青柠汁拌匀，注入苏打水。',
  ],
  [
    '黑糖珍珠鲜奶',
    '木薯珍珠 40 克、黑糖 30 克、鲜牛奶 250 毫升',
    '珍珠煮 20 分钟再焖 10 分钟，与黑糖小火熬至挂浆；糖浆沿杯壁淋下，倒入冰鲜奶。',
  ],
  [
    '生椰拿铁',
    '浓缩咖啡 30 毫升、生椰乳 180 毫升、冰块',
    '杯中放满冰块，倒入生椰乳，再缓缓注入浓缩咖啡，喝前拌匀。',
  ],
  [
    '芝士莓莓',
    '草莓 8 颗、茉莉绿茶 150 毫升、奶油奶酪 30 克、淡奶油 50 毫升、盐 1 克',
    '草莓捣碎，加茶汤和冰；奶酪、淡奶油、盐打至浓稠，铺在表面。',
  ],
  [
    '鲜橙红茶',
    '红茶 5 克、橙子 1 个、蜂蜜 15 毫升、冰块',
    '红茶热泡 4 分钟放凉，橙子榨汁，与蜂蜜一起摇匀后加冰，点缀橙片。',
  ],
  [
    '薄荷青提冰茶',
    '青提 12 颗、薄荷叶 6 片、绿茶 150 毫升、糖浆 10 毫升',
    '青提和薄荷轻轻捣出汁，加入冰绿茶和糖浆摇匀。',
  ],
  [
    '抹茶椰椰',
    '抹茶粉 3 克、热水 40 毫升、椰奶 200 毫升、炼乳 10 克',
    '抹茶粉用热水刷开；杯中放冰块、椰奶和炼乳，最后淋上抹茶。',
  ],
  [
    '百香果双响炮',
    '百香果 2 个、绿茶 200 毫升、椰果 30 克、珍珠 30 克、糖浆 15 毫升',
    '百香果取果肉，与糖浆、冰绿茶摇匀；杯底先放椰果和珍珠。',
  ],
  [
    '西瓜啵啵',
    '西瓜 300 克、寒天晶球 30 克、冰块',
    '西瓜去籽打汁并过滤，杯中放晶球和冰块，倒入西瓜汁。',
  ],
];

const BOOKLET_TITLE = '夏日特调配方手册';

/** Two A4 pages: the title, a note, and the twelve recipes, each name with its ingredients and method. */
function recipeBooklet(): Buffer {
  const green: Rgb = [0.18, 0.36, 0.27];
  const grey: Rgb = [0.42, 0.41, 0.37];
  const pages: PdfLine[][] = [[]];
  let y = 780;
  const write = (text: string, size: number, color: Rgb, x = MARGIN) => {
    for (const line of wrap(text, size, PAGE_WIDTH - MARGIN - x)) {
      pages[pages.length - 1].push({ text: line, size, color, x, y });
      y -= size * 1.6;
    }
  };
  write(BOOKLET_TITLE, 26, green);
  write('山野茶事 · 新店开业 会员福利', 12, grey);
  y -= 6;
  write('十二款招牌特调的在家复刻配方。每款一杯（约 500 毫升），甜度可按口味增减。', 10.5, grey);
  y -= 10;
  RECIPES.forEach(([name, ingredients, method], index) => {
    if (y < 170) {
      pages.push([]);
      y = 780;
    }
    write(`${String(index + 1).padStart(2, '0')}  ${name}`, 15, green);
    write(`材料：${ingredients}`, 10.5, grey, MARGIN + 24);
    write(`做法：${method}`, 10.5, grey, MARGIN + 24);
    y -= 12;
  });
  pages.forEach((page, i) =>
    page.push({
      text: `山野茶事 · ${BOOKLET_TITLE} · 第 ${i + 1}/${pages.length} 页`,
      size: 9,
      color: grey,
      x: MARGIN,
      y: 40,
    }),
  );
  return pdf(BOOKLET_TITLE, pages);
}

// ---- a minimal PDF writer ----------------------------------------------------------------------
// Chinese text without embedding a font: STSong-Light with the UniGB-UCS2-H encoding is one of
// the standard CJK fonts every PDF reader supplies. Text is written as UTF-16 hex strings, so the
// file is plain ASCII and byte offsets are string lengths.

type Rgb = [number, number, number];
interface PdfLine {
  text: string;
  size: number;
  color: Rgb;
  x: number;
  y: number;
}

const PAGE_WIDTH = 595; // A4, in points
const PAGE_HEIGHT = 842;
const MARGIN = 60;

/** Width in em: the font's ASCII is half-width (its /W below), everything else full. */
const emWidth = (char: string) => (char.charCodeAt(0) < 0x80 ? 0.5 : 1);

function wrap(text: string, size: number, width: number): string[] {
  const lines: string[] = [];
  let line = '';
  let used = 0;
  for (const char of Array.from(text)) {
    const w = emWidth(char) * size;
    // closing punctuation hangs at the end of a line rather than opening the next (避头点)
    if (used + w > width && line && !'。，、；：！？）」'.includes(char)) {
      lines.push(line);
      [line, used] = ['', 0];
    }
    line += char;
    used += w;
  }
  return line ? [...lines, line] : lines;
}

const utf16Hex = (text: string) =>
  Array.from({ length: text.length }, (_, i) => text.charCodeAt(i).toString(16).padStart(4, '0'))
    .join('')
    .toUpperCase();

function pdf(title: string, pages: PdfLine[][]): Buffer {
  const objects = [
    '<< /Type /Catalog /Pages 2 0 R >>',
    `<< /Type /Pages /Kids [${pages.map((_, i) => `${7 + 2 * i} 0 R`).join(' ')}] /Count ${pages.length} >>`,
    '<< /Type /Font /Subtype /Type0 /BaseFont /STSong-Light /Encoding /UniGB-UCS2-H /DescendantFonts [4 0 R] >>',
    '<< /Type /Font /Subtype /CIDFontType0 /BaseFont /STSong-Light ' +
      '/CIDSystemInfo << /Registry (Adobe) /Ordering (GB1) /Supplement 4 >> ' +
      '/FontDescriptor 5 0 R /DW 1000 /W [1 95 500] >>',
    '<< /Type /FontDescriptor /FontName /STSong-Light /Flags 6 /FontBBox [-25 -254 1000 880] ' +
      '/ItalicAngle 0 /Ascent 880 /Descent -120 /CapHeight 880 /StemV 93 >>',
    `<< /Title <FEFF${utf16Hex(title)}> /Producer (Growth Kit emulator seed) >>`,
  ];
  for (const [i, lines] of pages.entries()) {
    const content = lines
      .map(
        ({ text, size, color, x, y }) =>
          `BT /F1 ${size} Tf ${color.join(' ')} rg ${x} ${y.toFixed(1)} Td <${utf16Hex(text)}> Tj ET`,
      )
      .join('\n');
    objects.push(
      `<< /Type /Page /Parent 2 0 R /MediaBox [0 0 ${PAGE_WIDTH} ${PAGE_HEIGHT}] ` +
        `/Resources << /Font << /F1 3 0 R >> >> /Contents ${8 + 2 * i} 0 R >>`,
      `<< /Length ${content.length} >>\nstream\n${content}\nendstream`,
    );
  }
  let body = '%PDF-1.4\n';
  const offsets = objects.map((object, i) => {
    const offset = body.length;
    body += `${i + 1} 0 obj\n${object}\nendobj\n`;
    return offset;
  });
  const xref = body.length;
  body +=
    `xref\n0 ${objects.length + 1}\n0000000000 65535 f \n` +
    offsets.map((o) => `${String(o).padStart(10, '0')} 00000 n \n`).join('') +
    `trailer\n<< /Size ${objects.length + 1} /Root 1 0 R /Info 6 0 R >>\nstartxref\n${xref}\n%%EOF\n`;
  return Buffer.from(body, 'latin1');
}
