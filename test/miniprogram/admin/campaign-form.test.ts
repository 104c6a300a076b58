/**
 * The editor's form (operator studio, issue 9), pure: every field of a campaign has a place in
 * it, the blank template is a campaign the server accepts, and choices keep a config coherent.
 */
import { parseCampaign } from '../../../cloudfunctions/_shared/campaign';
import { demoCampaign } from '../../../cloudfunctions/_shared/demo-campaign';
import { blankCampaign } from '../../../miniprogram/admin/utils/blank-campaign';
import {
  anchorFor,
  anchorsOf,
  couponTypeOf,
  fieldSpecAt,
  placeNotes,
  setField,
  stepOf,
  type Loose,
} from '../../../miniprogram/admin/utils/campaign-form';

/** Every leaf of a JSON value, as dotted paths. */
function leaves(value: unknown, prefix = ''): string[] {
  if (value === null || typeof value !== 'object') return [prefix];
  return Object.entries(value as Loose).flatMap(([key, inner]) =>
    leaves(inner, prefix ? `${prefix}.${key}` : key),
  );
}

/** Set by the editor itself, never typed: ids it makes, and the fallback it toggles. */
const NOT_TYPED = [/^id$/, /\.id$/, /^lottery\.prizes\.\d+\.fallback$/];

it('gives every field of a campaign its place in the editor', () => {
  const demo = JSON.parse(JSON.stringify(demoCampaign(new Date('2025-03-05T10:00:00+08:00'))));
  const missing = leaves(demo)
    .filter((path) => !NOT_TYPED.some((pattern) => pattern.test(path)))
    .filter((path) => !fieldSpecAt(path));
  expect(missing).toEqual([]);
});

it('starts a blank campaign from a config the server accepts', () => {
  const parsed = parseCampaign(blankCampaign(new Date('2025-03-05T10:00:00+08:00')));
  expect(parsed.ok ? [] : parsed.problems).toEqual([]);
  if (!parsed.ok) return;
  expect(parsed.campaign.startAt).toBe('2025-03-05T16:00:00.000Z'); // tomorrow 00:00 Shanghai
  expect(parsed.campaign.lottery.prizes.filter((p) => p.fallback)).toHaveLength(1);
});

it('places a message at its field, else at what is shown around it, else at its step', () => {
  const config = JSON.parse(JSON.stringify(demoCampaign(new Date()))) as Loose;
  const anchors = anchorsOf(config);
  expect(anchorFor('lottery.prizes.2.stock', anchors)).toBe('lottery.prizes.2.stock');
  // the id of a template is not shown: its item is
  expect(anchorFor('couponTemplates.1.id', anchors)).toBe('couponTemplates.1');
  expect(anchorFor('magnet.claimWindow', anchors)).toBe('magnet.claimWindow');
  expect(anchorFor('lottery.prizes', anchors)).toBe('lottery.prizes');
  expect(anchorFor('id', anchors)).toBe('');
  expect(stepOf('invite.riskRankBlock')).toBe(4);
  const notes = placeNotes(config, [
    { path: 'config.id', message: '活动编号已被使用' },
    { path: 'config.lottery.prizes.2.stock', message: '库存须为不小于 0 的整数，留空表示不限量' },
  ]);
  expect(notes.problems['step:0']).toEqual(['活动编号已被使用']);
  expect(notes.perStep).toEqual([1, 0, 1, 0, 0, 0]);
});

it('keeps a config coherent when a choice decides other fields', () => {
  const config = JSON.parse(JSON.stringify(demoCampaign(new Date()))) as Loose;
  // a physical prize turned coupon gets a template; turned resource, a link field
  setField(config, 'lottery.prizes.0.kind', 'select', 'coupon');
  expect(config.lottery.prizes[0].couponTemplateId).toBe('discount-80');
  setField(config, 'lottery.prizes.0.kind', 'select', 'resource');
  expect(config.lottery.prizes[0]).toMatchObject({ kind: 'resource', resourceUrl: '' });
  expect(config.lottery.prizes[0].couponTemplateId).toBeUndefined();
  // 无门槛 is a 满减 without threshold; a discount has no amount
  setField(config, 'couponTemplates.1.kind', 'couponType', 'free');
  expect(config.couponTemplates[1]).toMatchObject({ kind: 'cash', threshold: 0 });
  expect(couponTypeOf(config.couponTemplates[1])).toBe('free');
  setField(config, 'couponTemplates.1.kind', 'couponType', 'discount');
  expect(config.couponTemplates[1].amount).toBeUndefined();
  expect(config.couponTemplates[1].rate).toBe(0.8);
  setField(config, 'couponTemplates.1.validity', 'validity', 'until');
  expect(config.couponTemplates[1].validDays).toBeUndefined();
  expect(config.couponTemplates[1].validUntil).toBe(config.endAt);
  // an empty stock is unlimited; an empty optional field is gone; the organiser as a whole too
  setField(config, 'lottery.prizes.5.stock', 'stock', '');
  expect(config.lottery.prizes[5].stock).toBeNull();
  setField(config, 'channels.0.cost', 'fen', '');
  expect(config.channels[0]).not.toHaveProperty('cost');
  for (const key of ['name', 'contact', 'address']) {
    setField(config, `organizer.${key}`, 'text', '');
  }
  expect(config).not.toHaveProperty('organizer');
  // what is not a number is sent as typed, for the server to name
  setField(config, 'lottery.prizes.1.weight', 'int', '十');
  expect(config.lottery.prizes[1].weight).toBe('十');
  expect(parseCampaign(config).ok).toBe(false);
});

// Retention (issue 15)
it('names the repurchase coupon with a template, and none removes it', () => {
  const config = JSON.parse(JSON.stringify(demoCampaign(new Date()))) as Loose;
  expect(fieldSpecAt('repurchase.couponTemplateId')).toMatchObject({
    label: '复购券',
    type: 'select',
    optional: true,
  });
  expect(stepOf('repurchase.couponTemplateId')).toBe(stepOf('couponTemplates.0.title'));
  setField(config, 'repurchase.couponTemplateId', 'select', 'cash-50-10');
  expect(config.repurchase).toEqual({ couponTemplateId: 'cash-50-10' });
  expect(parseCampaign(config).ok).toBe(true);
  setField(config, 'repurchase.couponTemplateId', 'select', '');
  expect(config).not.toHaveProperty('repurchase');
  expect(parseCampaign(config).ok).toBe(true);
});
