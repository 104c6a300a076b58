/** `campaign.rules` (operator studio, issue 9): the 活动规则 page's content, from the live config. */
import { OWNER, data, editCampaign, useBackend } from '../support/emulator';

const backend = useBackend();

it('says every prize with its odds and stock, the coupons, the invite rules and the organiser', async () => {
  const rules = data(await backend.api('visitor', 'campaign.rules'));
  expect(rules.title).toBe('山野茶事 · 新店开业 会员招募季');
  expect(rules.status).toBe('live');
  const prizes = Object.fromEntries(rules.lottery.prizes.map((p) => [p.name, p]));
  expect(prizes['定制保温杯']).toEqual({
    name: '定制保温杯',
    kind: 'physical',
    odds: 0.44,
    stock: 20,
    fallback: false,
  });
  expect(prizes['谢谢参与']).toMatchObject({ odds: 26.2, stock: null, fallback: true });
  const total = rules.lottery.prizes.reduce((sum, p) => sum + p.odds, 0);
  expect(Math.abs(total - 100)).toBeLessThan(0.05);
  expect(rules.coupons.find((c) => c.title === '满50减10')).toEqual({
    title: '满50减10',
    label: '满50减10',
    terms: '消费满 50 元可用，立减 10 元',
    validity: '领取后 14 天内有效（至领取日后第 14 天 23:59）',
  });
  expect(rules.coupons.find((c) => c.title === '全场饮品8折券')?.terms).toBe('无门槛，按 8折 结算');
  // Retention (issue 15): the repurchase coupon says how it is earned
  expect(rules.coupons.find((c) => c.title === '老顾客回馈 满30减6')?.terms).toBe(
    '消费满 30 元可用，立减 6 元；每次到店用券消费后自动获赠一张，下次可用',
  );
  expect(rules.invite).toEqual({
    invitesRequired: 3,
    maxVerifiedPerInviterPerDay: 50,
    whenClaimClosed: 'spin',
  });
  expect(rules.magnet.rewards).toEqual(['资料一份（领取后可复制链接查看）', '5元无门槛券一张']);
  expect(rules.organizer).toMatchObject({ name: '山野茶事（演示门店）' });
  expect(rules.blackCard.rights).toHaveLength(4);
  // nothing a visitor should not see
  expect(JSON.stringify(rules)).not.toMatch(/weight|cloud:\/\/|demo-admin/);
});

it('follows the config as the operator changes it', async () => {
  await editCampaign(backend, (config) => {
    config.lottery.prizes[0].weight = 0;
    config.organizer.contact = '客服电话 400-000-0000';
  });
  const rules = data(await backend.api('visitor', 'campaign.rules'));
  expect(rules.lottery.prizes[0].odds).toBe(0);
  expect(rules.organizer?.contact).toBe('客服电话 400-000-0000');
});

it('stays readable while the campaign is paused', async () => {
  data(await backend.admin(OWNER, 'campaign.setStatus', { id: 'demo-opening', status: 'paused' }));
  await backend.emulator.advanceClock(10_000);
  expect(data(await backend.api('visitor', 'campaign.rules')).status).toBe('paused');
});
