/**
 * 海报: posters and share cards, laid out as data and drawn on a Canvas 2D context. The layouts
 * are pure (what goes where, in the poster's own pixels); `drawPoster` draws one on any 2D
 * context — the phone's canvas (components/poster-sheet), the preview's, or a recording one in
 * tests. Images are loaded by the caller and handed in by key; a missing one is left out (a
 * poster without the campaign's picture still works, one without its code does not: the caller
 * checks).
 *
 * Sizes: an inviter's poster is a phone screen (750 × 1334) for Moments; a channel's comes as A4
 * (1240 × 1754, 150 dpi) and as a table card (台卡, 10 × 15 cm: 1000 × 1500); a share card is
 * WeChat's 5:4 (500 × 400).
 */

export type Fill = string | { from: string; to: string; angle?: 'down' | 'diagonal' };

export type PosterElement =
  | { type: 'rect'; x: number; y: number; w: number; h: number; radius?: number; fill: Fill }
  | {
      type: 'text';
      x: number;
      y: number;
      text: string;
      size: number;
      weight?: 400 | 600 | 700;
      color: string;
      align?: 'left' | 'center' | 'right';
      /** wrap to this width, at most maxLines (the last one ends in … when cut) */
      maxWidth?: number;
      maxLines?: number;
      lineHeight?: number;
    }
  | {
      type: 'image';
      key: string;
      x: number;
      y: number;
      w: number;
      h: number;
      radius?: number;
      /** cover: fill the box, cropping; contain: fit inside it */
      fit?: 'cover' | 'contain';
    }
  | { type: 'circle'; cx: number; cy: number; r: number; fill: Fill }
  | { type: 'line'; x1: number; y1: number; x2: number; y2: number; color: string; dash?: number };

export interface PosterSpec {
  width: number;
  height: number;
  background: string;
  elements: PosterElement[];
  /** key → what to load (a local temp path or a URL) */
  images: Record<string, string>;
}

/** The palette of app.wxss, for the posters. */
export const POSTER_COLORS = {
  paper: '#F7F1E6',
  surface: '#FFFDF8',
  primary: '#2F5D46',
  primaryLight: '#3D7458',
  primaryDark: '#1F4232',
  primarySoft: '#E3ECE5',
  accent: '#D2693C',
  accentSoft: '#FBE7DC',
  text: '#2B2A26',
  secondary: '#6F6A5F',
  muted: '#A39E92',
  border: '#E6DCCB',
  gold: '#C9A45C',
  goldLight: '#E6CF9A',
  white: '#FFFFFF',
} as const;

const FONT_FAMILY = '"PingFang SC", "Noto Sans CJK SC", "Microsoft YaHei", sans-serif';

export function fontOf(size: number, weight: 400 | 600 | 700 = 400): string {
  return `${weight} ${size}px ${FONT_FAMILY}`;
}

/** What a poster says about the campaign, whoever it is for. */
export interface Offer {
  /** the brand printed on it (山野茶事) */
  brand: string;
  /** the campaign's title */
  title: string;
  /** the lead magnet (开业福利：免费领《夏日特调配方手册》) */
  magnetTitle: string;
  /** the gift coupon's label (5元无门槛), if there is one */
  couponLabel?: string;
  hasResource: boolean;
}

/** "山野茶事 · 新店开业 会员招募季" → "山野茶事". */
export function brandOf(campaignTitle: string): string {
  const brand = campaignTitle.split(/\s*[·|｜]\s*/)[0]?.trim();
  return brand || campaignTitle.trim();
}

/** "山野茶事 · 新店开业 会员招募季" → "新店开业 会员招募季" (or the whole title). */
function subtitleOf(offer: Offer): string {
  const rest = offer.title
    .split(/\s*[·|｜]\s*/)
    .slice(1)
    .join(' · ')
    .trim();
  return rest || offer.title;
}

/** The gifts in a few words: 5元无门槛 + 资料包. */
function giftsOf(offer: Offer): string[] {
  return [
    ...(offer.couponLabel ? [offer.couponLabel] : []),
    ...(offer.hasResource ? ['资料包'] : []),
  ];
}

// ---------------------------------------------------------------------------------------------
// Layouts

export interface InviterPosterInput {
  offer: Offer;
  /** the inviter's nickname, if they set one */
  nickname?: string | null;
  inviteCode: string;
  /** images: the inviter's Mini Program code (required), their avatar, the campaign's picture */
  qr: string;
  avatar?: string | null;
  art?: string | null;
}

/** An inviter's poster for Moments (裂变海报): who invites, the offer, their code. */
export function inviterPoster(input: InviterPosterInput): PosterSpec {
  const { offer } = input;
  const C = POSTER_COLORS;
  const W = 750;
  const H = 1334;
  const who = input.nickname?.trim() || '你的好友';
  const initial = Array.from(input.nickname?.trim() || '友')[0];
  const elements: PosterElement[] = [
    { type: 'rect', x: 0, y: 0, w: W, h: 620, fill: { from: C.primaryLight, to: C.primaryDark } },
    { type: 'text', x: 56, y: 104, text: '限时福利 · 免费领取', size: 26, color: C.goldLight },
    {
      type: 'text',
      x: 56,
      y: 168,
      text: offer.brand,
      size: 56,
      weight: 700,
      color: C.white,
      maxWidth: W - 112,
      maxLines: 1,
    },
    {
      type: 'text',
      x: 56,
      y: 224,
      text: subtitleOf(offer),
      size: 30,
      color: C.goldLight,
      maxWidth: W - 112,
      maxLines: 1,
    },
    ...(input.art
      ? [{ type: 'image', key: 'art', x: 56, y: 262, w: W - 112, h: 300, radius: 24 } as const]
      : []),
    // the card
    { type: 'rect', x: 36, y: 520, w: W - 72, h: 780, radius: 32, fill: C.surface },
    // who invites
    { type: 'circle', cx: 116, cy: 604, r: 44, fill: C.accentSoft },
    {
      type: 'text',
      x: 116,
      y: 620,
      text: initial,
      size: 40,
      weight: 700,
      color: C.accent,
      align: 'center',
    },
    ...(input.avatar
      ? [{ type: 'image', key: 'avatar', x: 72, y: 560, w: 88, h: 88, radius: 44 } as const]
      : []),
    {
      type: 'text',
      x: 184,
      y: 596,
      text: `${who} 邀请你来领`,
      size: 34,
      weight: 700,
      color: C.text,
      maxWidth: W - 72 - 184 - 24,
      maxLines: 1,
    },
    { type: 'text', x: 184, y: 636, text: '新人专享 · 领取即得', size: 24, color: C.secondary },
    { type: 'line', x1: 72, y1: 680, x2: W - 72, y2: 680, color: C.border },
    {
      type: 'text',
      x: 72,
      y: 740,
      text: offer.magnetTitle,
      size: 38,
      weight: 700,
      color: C.text,
      maxWidth: W - 144,
      maxLines: 2,
      lineHeight: 54,
    },
    ...giftChips(giftsOf(offer), 72, 828, 26),
    { type: 'line', x1: 72, y1: 900, x2: W - 72, y2: 900, color: C.border, dash: 10 },
    { type: 'rect', x: 72, y: 932, w: 300, h: 300, radius: 20, fill: C.white },
    { type: 'image', key: 'qr', x: 82, y: 942, w: 280, h: 280, fit: 'contain' },
    {
      type: 'text',
      x: 404,
      y: 1010,
      text: '长按识别小程序码',
      size: 32,
      weight: 700,
      color: C.text,
    },
    { type: 'text', x: 404, y: 1058, text: '或用微信扫一扫', size: 26, color: C.secondary },
    { type: 'text', x: 404, y: 1098, text: '免费领取新人福利', size: 26, color: C.secondary },
    { type: 'text', x: 404, y: 1176, text: `邀请码 ${input.inviteCode}`, size: 24, color: C.muted },
    {
      type: 'text',
      x: W / 2,
      y: 1290,
      text: `${offer.brand} · 好友领取福利后，你也能得到奖励`,
      size: 22,
      color: C.muted,
      align: 'center',
    },
  ];
  return {
    width: W,
    height: H,
    background: C.paper,
    elements,
    images: {
      qr: input.qr,
      ...(input.avatar ? { avatar: input.avatar } : {}),
      ...(input.art ? { art: input.art } : {}),
    },
  };
}

export type ChannelPosterSize = 'a4' | 'tent';

export const CHANNEL_POSTER_SIZES: Record<ChannelPosterSize, { label: string; note: string }> = {
  a4: { label: 'A4 海报', note: '210 × 297 mm，门店张贴' },
  tent: { label: '台卡', note: '10 × 15 cm，收银台、餐桌' },
};

export interface ChannelPosterInput {
  offer: Offer;
  channelName: string;
  channelCode: string;
  size: ChannelPosterSize;
  qr: string;
}

/** A channel's printable poster: the offer and the channel's code, big enough to scan across a counter. */
export function channelPoster(input: ChannelPosterInput): PosterSpec {
  const C = POSTER_COLORS;
  const { offer } = input;
  const a4 = input.size === 'a4';
  const W = a4 ? 1240 : 1000;
  const H = a4 ? 1754 : 1500;
  const s = W / 1000; // sizes are written for 1000 px wide and scaled
  const px = (n: number) => Math.round(n * s);
  const margin = px(64);
  const qrSide = a4 ? px(440) : px(520);
  const heroH = a4 ? px(560) : px(470);
  const qrY = a4 ? px(650) : px(690);
  const elements: PosterElement[] = [
    { type: 'rect', x: 0, y: 0, w: W, h: heroH, fill: { from: C.primaryLight, to: C.primaryDark } },
    {
      type: 'text',
      x: margin,
      y: px(110),
      text: '限时福利 · 免费领取',
      size: px(34),
      color: C.goldLight,
    },
    {
      type: 'text',
      x: margin,
      y: px(200),
      text: offer.brand,
      size: px(84),
      weight: 700,
      color: C.white,
      maxWidth: W - 2 * margin,
      maxLines: 1,
    },
    {
      type: 'text',
      x: margin,
      y: px(270),
      text: subtitleOf(offer),
      size: px(40),
      color: C.goldLight,
      maxWidth: W - 2 * margin,
      maxLines: 1,
    },
    {
      type: 'text',
      x: margin,
      y: px(a4 ? 380 : 360),
      text: offer.magnetTitle,
      size: px(a4 ? 50 : 44),
      weight: 700,
      color: C.white,
      maxWidth: W - 2 * margin,
      maxLines: 2,
      lineHeight: px(a4 ? 70 : 62),
    },
    ...giftChips(giftsOf(offer), margin, heroH - px(a4 ? 90 : 80), px(34), true),
    // the code, on a white tile
    {
      type: 'rect',
      x: (W - qrSide) / 2 - px(24),
      y: qrY - px(24),
      w: qrSide + px(48),
      h: qrSide + px(48),
      radius: px(28),
      fill: C.white,
    },
    { type: 'image', key: 'qr', x: (W - qrSide) / 2, y: qrY, w: qrSide, h: qrSide, fit: 'contain' },
    {
      type: 'text',
      x: W / 2,
      y: qrY + qrSide + px(100),
      text: '微信扫一扫 · 立即免费领取',
      size: px(48),
      weight: 700,
      color: C.text,
      align: 'center',
    },
    {
      type: 'text',
      x: W / 2,
      y: qrY + qrSide + px(160),
      text: '领取后还能抽奖，邀请好友解锁黑卡会员',
      size: px(32),
      color: C.secondary,
      align: 'center',
    },
    {
      type: 'text',
      x: W / 2,
      y: H - px(48),
      text: `${input.channelName} · ${input.channelCode}`,
      size: px(24),
      color: C.muted,
      align: 'center',
    },
  ];
  return {
    width: W,
    height: H,
    background: C.paper,
    elements,
    images: { qr: input.qr },
  };
}

/** The card a chat shows for a shared page (onShareAppMessage's imageUrl): 5:4. */
export function shareCard(offer: Offer): PosterSpec {
  const C = POSTER_COLORS;
  const W = 500;
  const H = 400;
  return {
    width: W,
    height: H,
    background: C.primary,
    images: {},
    elements: [
      {
        type: 'rect',
        x: 0,
        y: 0,
        w: W,
        h: H,
        fill: { from: C.primaryLight, to: C.primaryDark, angle: 'diagonal' },
      },
      {
        type: 'text',
        x: 36,
        y: 64,
        text: `${offer.brand} · 新人福利`,
        size: 24,
        color: C.goldLight,
      },
      {
        type: 'text',
        x: 36,
        y: 132,
        text: offer.magnetTitle,
        size: 36,
        weight: 700,
        color: C.white,
        maxWidth: W - 72,
        maxLines: 3,
        lineHeight: 50,
      },
      ...giftChips(giftsOf(offer), 36, 300, 26, true),
      {
        type: 'text',
        x: W - 36,
        y: 364,
        text: '点开就能领 ›',
        size: 24,
        color: C.goldLight,
        align: 'right',
      },
    ],
  };
}

/** Gift chips in a row: the first in the accent colour, the others outlined in green. */
function giftChips(
  gifts: string[],
  x: number,
  y: number,
  size: number,
  onDark = false,
): PosterElement[] {
  const C = POSTER_COLORS;
  const padX = Math.round(size * 0.7);
  const height = Math.round(size * 2);
  const elements: PosterElement[] = [];
  let left = x;
  gifts.forEach((gift, index) => {
    // CJK characters are about one em wide, digits and letters about half
    const width = Array.from(gift).reduce((w, c) => w + (/[ -~]/.test(c) ? 0.6 : 1), 0) * size;
    const w = Math.round(width + 2 * padX);
    const first = index === 0;
    elements.push(
      {
        type: 'rect',
        x: left,
        y,
        w,
        h: height,
        radius: height / 2,
        fill: first
          ? onDark
            ? C.gold
            : C.accent
          : onDark
            ? 'rgba(255,255,255,0.16)'
            : C.primarySoft,
      },
      {
        type: 'text',
        x: left + w / 2,
        y: y + Math.round(height * 0.68),
        text: gift,
        size,
        weight: 700,
        color: first ? (onDark ? C.text : C.white) : onDark ? C.white : C.primary,
        align: 'center',
      },
    );
    left += w + Math.round(size * 0.6);
  });
  return elements;
}

// ---------------------------------------------------------------------------------------------
// Drawing

/** The part of a Canvas 2D context the posters use (the phone's, the browser's, a test's). */
export interface Context2D {
  fillStyle: unknown;
  strokeStyle: unknown;
  font: string;
  textAlign: string;
  textBaseline: string;
  lineWidth: number;
  fillRect(x: number, y: number, w: number, h: number): void;
  fillText(text: string, x: number, y: number): void;
  measureText(text: string): { width: number };
  beginPath(): void;
  closePath(): void;
  moveTo(x: number, y: number): void;
  lineTo(x: number, y: number): void;
  arc(x: number, y: number, r: number, start: number, end: number): void;
  arcTo(x1: number, y1: number, x2: number, y2: number, r: number): void;
  fill(): void;
  stroke(): void;
  clip(): void;
  save(): void;
  restore(): void;
  setLineDash(segments: number[]): void;
  drawImage(image: unknown, ...args: number[]): void;
  createLinearGradient(
    x0: number,
    y0: number,
    x1: number,
    y1: number,
  ): {
    addColorStop(offset: number, color: string): void;
  };
}

/** A loaded image: anything drawImage takes, with its natural size. */
export interface LoadedImage {
  width: number;
  height: number;
}

/** Punctuation a line may not start with (。，》…) or end with (《（…): 避头尾. */
const NO_LINE_START = /^[，。、；：！？）》」』】〉”’,.;:!?)\]…·]/u;
const NO_LINE_END = /[（《「『【〈“‘([]$/u;

/**
 * Lines of `text` at most `maxWidth` wide (measured), at most `maxLines`; a cut last line ends
 * in "…". Chinese breaks between any two characters, but never before a closing mark or after
 * an opening one (…手册》 stays together); a run of Latin letters or digits (满30减5, K7PX2M9Q)
 * is kept whole when it fits on a line.
 */
export function wrapText(
  text: string,
  maxWidth: number,
  maxLines: number,
  measure: (text: string) => number,
): string[] {
  // a run wider than a whole line is broken between characters after all
  const tokens: string[] = [];
  for (const token of text.match(/[A-Za-z0-9.%]+|\s+|./gu) ?? []) {
    const previous = tokens[tokens.length - 1];
    // a closing mark joins the token before it; a token joins an opening mark before it
    if (previous !== undefined && (NO_LINE_START.test(token) || NO_LINE_END.test(previous))) {
      tokens[tokens.length - 1] = previous + token;
    } else {
      tokens.push(token);
    }
  }
  const units = tokens.flatMap((token) =>
    measure(token) > maxWidth ? Array.from(token) : [token],
  );
  const lines: string[] = [];
  let line = '';
  for (const token of units) {
    if (line === '' || measure(line + token) <= maxWidth) {
      line += line === '' ? token.trimStart() : token;
      continue;
    }
    lines.push(line.trimEnd());
    line = token.trimStart();
  }
  if (line) lines.push(line.trimEnd());
  if (lines.length <= maxLines) return lines;
  const kept = lines.slice(0, maxLines);
  let last = kept[maxLines - 1];
  while (last && measure(`${last}…`) > maxWidth) last = Array.from(last).slice(0, -1).join('');
  kept[maxLines - 1] = `${last}…`;
  return kept;
}

function fillOf(ctx: Context2D, fill: Fill, x: number, y: number, w: number, h: number): unknown {
  if (typeof fill === 'string') return fill;
  const gradient =
    fill.angle === 'diagonal'
      ? ctx.createLinearGradient(x, y, x + w, y + h)
      : ctx.createLinearGradient(x, y, x, y + h);
  gradient.addColorStop(0, fill.from);
  gradient.addColorStop(1, fill.to);
  return gradient;
}

function roundedPath(ctx: Context2D, x: number, y: number, w: number, h: number, r: number): void {
  const radius = Math.max(0, Math.min(r, w / 2, h / 2));
  ctx.beginPath();
  ctx.moveTo(x + radius, y);
  ctx.arcTo(x + w, y, x + w, y + h, radius);
  ctx.arcTo(x + w, y + h, x, y + h, radius);
  ctx.arcTo(x, y + h, x, y, radius);
  ctx.arcTo(x, y, x + w, y, radius);
  ctx.closePath();
}

/** Draws `spec` at its own size; images by key (missing ones are left out). */
export function drawPoster(
  ctx: Context2D,
  spec: PosterSpec,
  images: ReadonlyMap<string, LoadedImage>,
): void {
  ctx.fillStyle = spec.background;
  ctx.fillRect(0, 0, spec.width, spec.height);
  ctx.textBaseline = 'alphabetic';
  for (const el of spec.elements) {
    switch (el.type) {
      case 'rect':
        ctx.fillStyle = fillOf(ctx, el.fill, el.x, el.y, el.w, el.h);
        if (el.radius) {
          roundedPath(ctx, el.x, el.y, el.w, el.h, el.radius);
          ctx.fill();
        } else {
          ctx.fillRect(el.x, el.y, el.w, el.h);
        }
        break;
      case 'circle':
        ctx.fillStyle = fillOf(ctx, el.fill, el.cx - el.r, el.cy - el.r, 2 * el.r, 2 * el.r);
        ctx.beginPath();
        ctx.arc(el.cx, el.cy, el.r, 0, Math.PI * 2);
        ctx.fill();
        break;
      case 'line':
        ctx.save();
        ctx.strokeStyle = el.color;
        ctx.lineWidth = 2;
        ctx.setLineDash(el.dash ? [el.dash, el.dash] : []);
        ctx.beginPath();
        ctx.moveTo(el.x1, el.y1);
        ctx.lineTo(el.x2, el.y2);
        ctx.stroke();
        ctx.restore();
        break;
      case 'text': {
        ctx.font = fontOf(el.size, el.weight);
        ctx.fillStyle = el.color;
        ctx.textAlign = el.align ?? 'left';
        const lines = el.maxWidth
          ? wrapText(el.text, el.maxWidth, el.maxLines ?? 1, (t) => ctx.measureText(t).width)
          : [el.text];
        const lineHeight = el.lineHeight ?? Math.round(el.size * 1.4);
        lines.forEach((line, i) => ctx.fillText(line, el.x, el.y + i * lineHeight));
        break;
      }
      case 'image': {
        const image = images.get(el.key);
        if (!image || !image.width || !image.height) break;
        ctx.save();
        if (el.radius) {
          roundedPath(ctx, el.x, el.y, el.w, el.h, el.radius);
          ctx.clip();
        }
        const scale =
          el.fit === 'contain'
            ? Math.min(el.w / image.width, el.h / image.height)
            : Math.max(el.w / image.width, el.h / image.height);
        const w = image.width * scale;
        const h = image.height * scale;
        ctx.drawImage(image, el.x + (el.w - w) / 2, el.y + (el.h - h) / 2, w, h);
        ctx.restore();
        break;
      }
    }
  }
}

/** What a poster says, from the campaign as campaign.get (or the Moments snapshot) answers it. */
export function offerOf(campaign: {
  title: string;
  magnet: { title: string; reward: { hasResource: boolean; coupon?: { label: string } } };
}): Offer {
  return {
    brand: brandOf(campaign.title),
    title: campaign.title,
    magnetTitle: campaign.magnet.title,
    ...(campaign.magnet.reward.coupon ? { couponLabel: campaign.magnet.reward.coupon.label } : {}),
    hasResource: campaign.magnet.reward.hasResource,
  };
}
