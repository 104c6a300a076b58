/** Rewards (issue 12): the campaign's new fields, each problem worded in Chinese at its field. */
import { parseCampaign, problemText } from '../../../cloudfunctions/_shared/campaign';
import { demoCampaign } from '../../../cloudfunctions/_shared/demo-campaign';

const NOW = new Date('2025-03-10T04:00:00Z');
type Doc = any;

function demoWith(edit: (doc: Doc) => void): unknown {
  const doc = JSON.parse(JSON.stringify(demoCampaign(NOW)));
  edit(doc);
  return doc;
}

function problemsOf(input: unknown): string[] {
  const result = parseCampaign(input);
  if (result.ok) throw new Error('expected the config to be rejected');
  return result.problems.map(problemText);
}

describe('rewards in the campaign config', () => {
  it('the demo carries quotas, a shipped prize, the ladder and reminder templates', () => {
    const c = demoCampaign(NOW);
    expect(c.blackCard.rights[0]).toMatchObject({ quota: 1, period: 'month' });
    expect(c.lottery.prizes.find((p) => p.id === 'tote')).toMatchObject({ fulfilment: 'shipping' });
    expect(c.blackCard.milestones).toEqual([{ invites: 5, prizeId: 'tote' }]);
    expect(Object.keys(c.reminders).sort()).toEqual([
      'couponExpiring',
      'groupReady',
      'inviteProgress',
      'poolAlert',
      'rightsChanged',
      'unlockNear',
    ]);
  });

  it('defaults to no ladder and no reminders', () => {
    const result = parseCampaign(
      demoWith((d) => {
        delete d.blackCard.milestones;
        delete d.reminders;
      }),
    );
    if (!result.ok) throw new Error(result.problems.map(problemText).join('\n'));
    expect(result.campaign.blackCard.milestones).toEqual([]);
    expect(result.campaign.reminders).toEqual({});
  });

  it.each<[string, (d: Doc) => void, string[]]>([
    [
      'a period without a quota',
      (d) => delete d.blackCard.rights[0].quota,
      [
        'blackCard.rights.0.quota: 设置了权益周期，请填写每期可用次数（不填周期和次数表示不限次数）',
      ],
    ],
    [
      'a quota of 0',
      (d) => (d.blackCard.rights[0].quota = 0),
      ['blackCard.rights.0.quota: 每期可用次数须为 1–1000 的整数'],
    ],
    [
      'an unknown period',
      (d) => (d.blackCard.rights[0].period = 'fortnight'),
      [
        'blackCard.rights.0.period: 权益周期须为 day（每天）、week（每周）、month（每月）、year（每年）、campaign（活动期间）之一',
      ],
    ],
    [
      'a fulfilment for a coupon prize',
      (d) => (d.lottery.prizes[1].fulfilment = 'shipping'),
      ['lottery.prizes.1.fulfilment: 只有实物奖品才有领取方式'],
    ],
    [
      'a claim period for the fallback',
      (d) => (d.lottery.prizes[7].claimDays = 3),
      ['lottery.prizes.7.claimDays: 只有实物奖品才有领取期限'],
    ],
    [
      'a reminder with an unknown variable',
      (d) => (d.reminders.couponExpiring.fields.thing1 = '{title} {owner}'),
      [
        'reminders.couponExpiring.fields.thing1: 未知的变量 {owner}，可用：{title}、{label}、{expiresAt}、{campaign}',
      ],
    ],
    [
      'a reminder without fields',
      (d) => (d.reminders.poolAlert.fields = {}),
      ['reminders.poolAlert.fields: 群池告警提醒须至少有一个字段'],
    ],
    [
      'a reminder field that is not a template keyword',
      (d) => (d.reminders.poolAlert.fields = { message: '{message}' }),
      ['reminders.poolAlert.fields.message: 群池告警提醒的字段名须如 thing1、number2、time3'],
    ],
    [
      'a template id with a dot',
      (d) => (d.reminders.groupReady.templateId = 'a.b'),
      [
        'reminders.groupReady.templateId: 群二维码已就绪提醒的模板编号须为 1–64 位字母、数字、_ 或 -',
      ],
    ],
  ])('refuses %s, worded at its field', (_name, edit, expected) => {
    expect(problemsOf(demoWith(edit))).toEqual(expected);
  });
});
