/**
 * The posters' layouts and their drawing (utils/poster): pure, so the layouts are checked as data
 * (everything on the canvas, the code big enough to scan, the right words) and the drawing on a
 * context that records what was drawn.
 */
import {
  channelPoster,
  drawPoster,
  inviterPoster,
  offerOf,
  shareCard,
  wrapText,
  type Context2D,
  type LoadedImage,
  type PosterElement,
  type PosterSpec,
} from '../../../miniprogram/utils/poster';

/** A width per character: CJK a whole em, anything else half. */
const measure = (size: number) => (text: string) =>
  Array.from(text).reduce((w, c) => w + (/[ -~]/.test(c) ? 0.5 : 1) * size, 0);

const offer = offerOf({
  title: '山野茶事 · 新店开业 会员招募季',
  magnet: {
    title: '开业福利：免费领《夏日特调配方手册》',
    reward: { hasResource: true, coupon: { label: '5元无门槛' } },
  },
});

describe('wrapText', () => {
  it('breaks Chinese anywhere but keeps a run of letters and digits whole', () => {
    expect(wrapText('开业满30减5的福利', 6 * 10, 3, measure(10))).toEqual([
      '开业满30减5',
      '的福利',
    ]);
    expect(wrapText('邀请码 K7PX2M9Q', 6 * 10, 2, measure(10))).toEqual(['邀请码', 'K7PX2M9Q']);
  });

  it('ends a cut last line with …, within the width', () => {
    const lines = wrapText('一二三四五六七八九十一二三四五六七八九十', 50, 2, measure(10));
    expect(lines).toEqual(['一二三四五', '六七八九…']);
    for (const line of lines) expect(measure(10)(line)).toBeLessThanOrEqual(50);
  });

  it('never starts a line with a closing mark or ends one with an opening mark (避头尾)', () => {
    expect(wrapText('免费领《夏日特调配方手册》', 12 * 10, 2, measure(10))).toEqual([
      '免费领《夏日特调配方手',
      '册》',
    ]);
    expect(wrapText('一二三四五《六七》', 6 * 10, 2, measure(10))).toEqual([
      '一二三四五',
      '《六七》',
    ]);
  });

  it('breaks a run wider than a line between its characters', () => {
    expect(wrapText('ABCDEFGHIJKL', 30, 3, measure(10))).toEqual(['ABCDEF', 'GHIJKL']);
  });
});

interface Box {
  el: PosterElement;
  x: number;
  y: number;
  w: number;
  h: number;
}

function boxesOf(spec: PosterSpec): Box[] {
  return spec.elements.flatMap((el): Box[] => {
    if (el.type === 'rect' || el.type === 'image')
      return [{ el, x: el.x, y: el.y, w: el.w, h: el.h }];
    if (el.type === 'circle')
      return [{ el, x: el.cx - el.r, y: el.cy - el.r, w: 2 * el.r, h: 2 * el.r }];
    return [];
  });
}

function textsOf(spec: PosterSpec): string[] {
  return spec.elements.flatMap((el) => (el.type === 'text' ? [el.text] : []));
}

describe('layouts', () => {
  const specs: Array<[string, PosterSpec]> = [
    [
      'inviter',
      inviterPoster({
        offer,
        nickname: '林小满',
        inviteCode: 'K7PX2M9Q',
        qr: 'cloud://qr',
        avatar: 'cloud://avatar',
        art: 'https://art',
      }),
    ],
    [
      'channel A4',
      channelPoster({
        offer,
        channelName: '收银台台卡',
        channelCode: '.counter',
        size: 'a4',
        qr: 'q',
      }),
    ],
    [
      'channel tent',
      channelPoster({
        offer,
        channelName: '收银台台卡',
        channelCode: '.counter',
        size: 'tent',
        qr: 'q',
      }),
    ],
    ['share card', shareCard(offer)],
  ];

  it.each(specs)('%s: everything on the canvas, every picture it draws named', (_name, spec) => {
    for (const { el, x, y, w, h } of boxesOf(spec)) {
      expect([el.type, x >= 0 && y >= 0 && x + w <= spec.width && y + h <= spec.height]).toEqual([
        el.type,
        true,
      ]);
    }
    for (const el of spec.elements) {
      if (el.type === 'image') expect(Object.keys(spec.images)).toContain(el.key);
      if (el.type === 'text') {
        expect(el.y).toBeLessThanOrEqual(spec.height);
        if (el.align === 'center') expect(el.x).toBeGreaterThan(0);
      }
    }
  });

  it('puts the inviter, the offer and a code big enough to scan on the inviter’s poster', () => {
    const spec = specs[0][1];
    expect([spec.width, spec.height]).toEqual([750, 1334]);
    expect(textsOf(spec)).toEqual(
      expect.arrayContaining([
        '林小满 邀请你来领',
        '开业福利：免费领《夏日特调配方手册》',
        '5元无门槛',
        '资料包',
        '邀请码 K7PX2M9Q',
        '山野茶事',
      ]),
    );
    const qr = boxesOf(spec).find((b) => b.el.type === 'image' && b.el.key === 'qr');
    expect(qr?.w).toBeGreaterThanOrEqual(256);
    expect(spec.images).toEqual({ qr: 'cloud://qr', avatar: 'cloud://avatar', art: 'https://art' });
  });

  it('says 你的好友 when the inviter has no nickname, and leaves out pictures it does not have', () => {
    const spec = inviterPoster({ offer, nickname: null, inviteCode: 'K7PX2M9Q', qr: 'q' });
    expect(textsOf(spec)).toContain('你的好友 邀请你来领');
    expect(spec.images).toEqual({ qr: 'q' });
    expect(spec.elements.filter((el) => el.type === 'image')).toHaveLength(1);
  });

  it('prints a channel’s code large (a third of the width or more) and names the channel in small', () => {
    for (const [, spec] of specs.slice(1, 3)) {
      const qr = boxesOf(spec).find((b) => b.el.type === 'image' && b.el.key === 'qr');
      expect(qr!.w / spec.width).toBeGreaterThan(0.35);
      expect(textsOf(spec)).toContain('收银台台卡 · .counter');
      expect(textsOf(spec)).toContain('微信扫一扫 · 立即免费领取');
    }
    expect(specs[1][1].width / specs[1][1].height).toBeCloseTo(210 / 297, 2); // A4
    expect(specs[2][1].width / specs[2][1].height).toBeCloseTo(10 / 15, 2); // 10 × 15 cm
  });
});

describe('drawPoster', () => {
  function recorder() {
    const calls: Array<{ method: string; args: unknown[]; font: string; fillStyle: unknown }> = [];
    const state = {
      fillStyle: '',
      strokeStyle: '',
      font: '',
      textAlign: '',
      textBaseline: '',
      lineWidth: 1,
    };
    const ctx = new Proxy(state, {
      get(target, key: string) {
        if (key in target) return target[key as keyof typeof target];
        return (...args: unknown[]) => {
          calls.push({ method: key, args, font: state.font, fillStyle: state.fillStyle });
          if (key === 'measureText') return { width: measure(20)(String(args[0])) };
          if (key === 'createLinearGradient') return { addColorStop: () => undefined };
          return undefined;
        };
      },
    }) as unknown as Context2D;
    return { ctx, calls };
  }

  it('draws each picture into its box, the texts in their fonts, and skips a picture that did not load', () => {
    const spec = inviterPoster({
      offer,
      nickname: '林小满',
      inviteCode: 'K7PX2M9Q',
      qr: 'q',
      avatar: 'a',
    });
    const qr: LoadedImage = { width: 430, height: 430 };
    const { ctx, calls } = recorder();
    drawPoster(ctx, spec, new Map([['qr', qr]]));
    const images = calls.filter((c) => c.method === 'drawImage');
    // the avatar did not load: only the code is drawn, filling its square box
    expect(images).toHaveLength(1);
    expect(images[0].args).toEqual([qr, 82, 942, 280, 280]);
    const texts = calls.filter((c) => c.method === 'fillText').map((c) => c.args[0]);
    expect(texts).toContain('林小满 邀请你来领');
    const title = calls.find((c) => c.method === 'fillText' && c.args[0] === '林小满 邀请你来领');
    expect(title?.font).toMatch(/^700 34px /);
    // the background first, the whole poster
    expect(calls[0]).toMatchObject({ method: 'fillRect', args: [0, 0, 750, 1334] });
  });
});
