/** @jest-environment jsdom */
/**
 * 渠道二维码 (issue 10) against the real backend: the campaign's channels and the registered ones,
 * adding a channel with this campaign's spend, making its code, and its printable posters (A4,
 * 台卡) whose drawn code scans back to the channel; field problems beside their fields; staff
 * and visitors refused.
 */
import { readFileSync } from 'node:fs';
import { decodeQrPng } from '../../support/qr';
import { usePageBackend } from '../support/backend';
import { texts, usePages, type Page } from '../support/pages';
import {
  attrOf,
  canvasOf,
  findIn,
  flushMicrotasks,
  tap,
  textOf,
  until,
  type FakeImage,
  type JsonNode,
  type SimNode,
} from '../support/simulate';

const open = usePages();
const backend = usePageBackend();

const openChannels = () => open('admin/pages/channels/index');

/** A channel's card as rendered (simulate queries inside built-ins through the tree). */
function channelCard(page: Page, name: string): JsonNode {
  const card = findIn(page, 'chn-channel').find(
    (node) => textOf(findIn(node, 'chn-channel__name')[0]) === name,
  );
  if (!card) throw new Error(`no channel ${name}`);
  return card;
}

/** A channel's button (by its data-code), to tap. */
function buttonOf(page: Page, className: string, code: string): SimNode | undefined {
  return page.querySelectorAll(`.${className}`).find((node) => attrOf(node, 'data-code') === code);
}

/** The code's picture on a channel's card, once made. */
function codeImage(page: Page, name: string): JsonNode | undefined {
  return findIn(channelCard(page, name), 'chn-channel__qr').find((n) => n.tagName === 'wx-image');
}

async function fill(page: Page, field: string, value: string) {
  page.querySelector(`.chn-form__${field}`)?.dispatchEvent('input', { detail: { value } });
  await flushMicrotasks();
}

it('adds a channel with its spend, makes its code, and prints an A4 poster that scans back to it', async () => {
  backend.actAs('demo-admin');
  jest
    .spyOn(wx, 'canvasToTempFilePath')
    .mockImplementation((() =>
      Promise.resolve({ tempFilePath: '/tmp/a4.png', errMsg: 'ok' })) as never);
  const page = await openChannels();
  // the campaign's own channels (share is the system's)
  expect(texts(page, 'chn-channel__name')).toEqual([
    '门店海报',
    '收银台台卡',
    '朋友圈广告',
    '本地探店博主',
  ]);
  expect(texts(channelCard(page, '门店海报'), 'chn-channel__cost')).toEqual(['本期投放 ¥300']);
  expect(texts(channelCard(page, '门店海报'), 'chn-channel__qr--none')).toEqual(['未生成']);

  await fill(page, 'code', 'Counter-2');
  await fill(page, 'name', '二楼收银台');
  await fill(page, 'cost', '49.9');
  await fill(page, 'note', '二楼靠窗');
  await tap(page.querySelector('.chn-form__submit'));
  await until(() => texts(page, 'chn-channel__name').includes('二楼收银台'), 'the new channel');
  const upsert = backend.calls.find((c) => c.data.action === 'channels.upsert');
  // the code is lower-cased as typed; the spend in fen
  expect(upsert?.data).toMatchObject({
    code: 'counter-2',
    name: '二楼收银台',
    cost: 4_990,
    note: '二楼靠窗',
  });
  const card = channelCard(page, '二楼收银台');
  expect(texts(card, 'chn-channel__cost')).toEqual(['本期投放 ¥49.9']);
  expect(texts(card, 'chn-channel__note')).toEqual(['二楼靠窗']);

  await tap(buttonOf(page, 'chn-make', 'counter-2'));
  await until(() => !!codeImage(page, '二楼收银台'), 'the code');
  const src = attrOf(codeImage(page, '二楼收银台'), 'src');
  expect(src).toMatch(/\/__emulator\/files\/codes\/channels\/counter-2\.png$/);

  await tap(buttonOf(page, 'chn-poster--a4', 'counter-2'));
  const sheet = page.querySelector('#poster') as SimNode;
  await until(() => !!sheet.querySelector('.poster-sheet__image'), 'the poster');
  expect(textOf(sheet.querySelector('.poster-sheet__title'))).toBe('二楼收银台 · A4 海报');
  const canvas = canvasOf(sheet, '#poster-canvas');
  expect([canvas?.width, canvas?.height]).toEqual([1240, 1754]);
  const qr = canvas!.calls.find((c) => c.method === 'drawImage' && (c.args[3] as number) > 500);
  const drawn = decodeQrPng(readFileSync((qr?.args[0] as FakeImage).src));
  expect(drawn).toBe('pages/landing/index?scene=.counter-2');
  const said = canvas!.calls.filter((c) => c.method === 'fillText').map((c) => c.args[0]);
  expect(said).toEqual(
    expect.arrayContaining(['山野茶事', '微信扫一扫 · 立即免费领取', '二楼收银台 · .counter-2']),
  );
});

it('prints a 台卡 for a channel of the campaign, making its code on the way', async () => {
  backend.actAs('demo-admin');
  jest
    .spyOn(wx, 'canvasToTempFilePath')
    .mockImplementation((() =>
      Promise.resolve({ tempFilePath: '/tmp/tent.png', errMsg: 'ok' })) as never);
  const page = await openChannels();
  await tap(buttonOf(page, 'chn-poster--tent', 'poster'));
  const sheet = page.querySelector('#poster') as SimNode;
  await until(() => !!sheet.querySelector('.poster-sheet__image'), 'the poster');
  expect(textOf(sheet.querySelector('.poster-sheet__title'))).toBe('门店海报 · 台卡');
  expect([
    canvasOf(sheet, '#poster-canvas')?.width,
    canvasOf(sheet, '#poster-canvas')?.height,
  ]).toEqual([1000, 1500]);
  expect(backend.calls.map((c) => c.data.action)).toContain('channels.qrcode');
  await until(() => !!codeImage(page, '门店海报'), 'the code');
});

it('shows a problem beside its field, and sends nothing it knows is wrong', async () => {
  backend.actAs('demo-admin');
  const page = await openChannels();
  const before = backend.calls.length;
  await fill(page, 'code', 'bad code!');
  await fill(page, 'cost', 'abc');
  await tap(page.querySelector('.chn-form__submit'));
  expect(texts(page, 'chn-error--code')).toEqual(['渠道代码须为 1–16 位小写字母、数字、_ 或 -']);
  expect(texts(page, 'chn-error--name')).toEqual(['请填写 1–20 个字的渠道名称']);
  expect(texts(page, 'chn-error--cost')).toEqual(['投放金额须为不小于 0 的数字（元）']);
  expect(backend.calls.length).toBe(before);
  // the server's refusal of a reserved code, beside the code
  await fill(page, 'code', 'share');
  await fill(page, 'name', '好友');
  await fill(page, 'cost', '');
  await tap(page.querySelector('.chn-form__submit'));
  await until(() => texts(page, 'chn-error--code').length > 0, 'the refusal');
  expect(texts(page, 'chn-error--code')[0]).toMatch(/^渠道代码 share 由系统使用/);
});

it('refuses staff and visitors', async () => {
  backend.actAs('demo-staff');
  expect(textOf((await openChannels()).querySelector('.admin-refusal__title'))).toBe(
    '渠道二维码由活动负责人管理',
  );
  backend.actAs('a-visitor');
  expect(textOf((await openChannels()).querySelector('.admin-refusal__title'))).toBe(
    '此页面仅限活动运营人员使用',
  );
});
