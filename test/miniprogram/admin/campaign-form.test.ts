/**
 * The editor's form (operator studio, issue 9), pure: every field of a campaign has a place in
 * it, the blank template is a campaign the server accepts, and choices keep a config coherent.
 */
import { campaignSchema, parseCampaign } from '../../../cloudfunctions/_shared/campaign';
import { demoCampaign } from '../../../cloudfunctions/_shared/demo-campaign';
import { blankCampaign } from '../../../miniprogram/admin/utils/blank-campaign';
import {
  STEPS,
  addMapRow,
  anchorFor,
  anchorsOf,
  couponTypeOf,
  fieldSpecAt,
  moveItem,
  placeNotes,
  renameMapKey,
  setField,
  stepOf,
  stepView,
  type FieldSpec,
  type ListSpec,
  type Loose,
} from '../../../miniprogram/admin/utils/campaign-form';

/** Every leaf of a JSON value, as dotted paths. */
function leaves(value: unknown, prefix = ''): string[] {
  if (value === null || typeof value !== 'object') return [prefix];
  return Object.entries(value as Loose).flatMap(([key, inner]) =>
    leaves(inner, prefix ? `${prefix}.${key}` : key),
  );
}

/**
 * Every leaf the schema can hold, as dotted paths: a list's items as item 0, a map's rows as a
 * row named like a template field (`thing1`). Read from the schema itself, so a field added to it
 * and not to the editor turns this red even before any campaign uses the field.
 */
function schemaLeaves(schema: unknown, prefix = ''): string[] {
  const def = (schema as { _zod: { def: Loose } })._zod.def;
  const at = (key: string | number) => (prefix ? `${prefix}.${key}` : String(key));
  switch (def.type) {
    case 'optional':
    case 'nullable':
    case 'default':
    case 'prefault':
      return schemaLeaves(def.innerType, prefix);
    case 'pipe':
      return schemaLeaves(def.in, prefix);
    case 'object':
      return Object.entries(def.shape as Loose).flatMap(([key, inner]) =>
        schemaLeaves(inner, at(key)),
      );
    case 'array':
      return schemaLeaves(def.element, at(0));
    case 'record':
      return schemaLeaves(def.valueType, at('thing1'));
    default:
      return [prefix];
  }
}

/** Set by the editor itself, never typed: ids it makes, and the fallback it toggles. */
const NOT_TYPED = [/^id$/, /\.id$/, /^lottery\.prizes\.\d+\.fallback$/];
const typed = (path: string) => !NOT_TYPED.some((pattern) => pattern.test(path));

it('gives every field of a campaign its place in the editor', () => {
  const demo = JSON.parse(JSON.stringify(demoCampaign(new Date('2025-03-05T10:00:00+08:00'))));
  expect(
    leaves(demo)
      .filter(typed)
      .filter((path) => !fieldSpecAt(path)),
  ).toEqual([]);
  // and every field the schema knows, whether a campaign uses it or not
  const known = schemaLeaves(campaignSchema);
  expect(known).toContain('invite.velocity.withinMinutes');
  expect(known).toContain('reminders.poolAlert.fields.thing1');
  expect(known.filter(typed).filter((path) => !fieldSpecAt(path))).toEqual([]);
});

/** Each field spec with the path of its first instance (a list's first item). */
function specsWithPaths(): Array<{ spec: FieldSpec; path: string }> {
  return STEPS.flatMap((step) =>
    step.blocks.flatMap((block) => {
      if ('group' in block) return [];
      if ('list' in block) {
        const list = block as ListSpec;
        return list.fields.map((spec) => ({ spec, path: `${list.list}.0.${spec.key}` }));
      }
      return [{ spec: block as FieldSpec, path: (block as FieldSpec).key }];
    }),
  );
}

it('offers in every fixed choice only values the server accepts, in words', () => {
  const base = JSON.parse(JSON.stringify(demoCampaign(new Date()))) as Loose;
  base.couponTemplates[0].variantOf = 'cash-50-10'; // its segment becomes a tag choice
  base.lottery.prizes[0].stock = null; // any prize kind may then stand first
  let checked = 0;
  for (const { spec, path } of specsWithPaths()) {
    if (!Array.isArray(spec.options) || spec.type !== 'select') continue;
    for (const option of spec.options) {
      const config = JSON.parse(JSON.stringify(base)) as Loose;
      setField(config, path, spec.type, option.value);
      const parsed = parseCampaign(config);
      const here = parsed.ok ? [] : parsed.problems.filter((p) => p.field.startsWith(path));
      expect([path, option.value, here]).toEqual([path, option.value, []]);
      expect(option.label).toMatch(/[\u4e00-\u9fa5]/);
      checked++;
    }
  }
  expect(checked).toBeGreaterThan(40);
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
  expect(stepOf('leaders.ladder.1.threshold')).toBe(6);
  expect(stepOf('reminders.poolAlert.templateId')).toBe(7);
  // a map's row is shown beside its row; a row name the server refuses too
  expect(anchorFor('reminders.couponExpiring.fields.time2', anchors)).toBe(
    'reminders.couponExpiring.fields.time2',
  );
  expect(anchorFor('reminders.couponExpiring.fields.', anchors)).toBe(
    'reminders.couponExpiring.fields',
  );
  // a part switched off shows nothing inside it: its problems go to its switch
  expect(anchorFor('invite.velocity.maxVerified', anchors)).toBe('invite.velocity');
  const notes = placeNotes(config, [
    { path: 'config.id', message: '活动编号已被使用' },
    { path: 'config.lottery.prizes.2.stock', message: '库存须为不小于 0 的整数，留空表示不限量' },
    { path: 'config.reminders.poolAlert.fields.time2', message: '未知的变量 {when}' },
  ]);
  expect(notes.problems['step:0']).toEqual(['活动编号已被使用']);
  expect(notes.problems['reminders.poolAlert.fields.time2']).toEqual(['未知的变量 {when}']);
  expect(notes.perStep).toEqual([1, 0, 1, 0, 0, 0, 0, 1]);
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
  setField(config, 'couponTemplates.1.kind', 'select', 'free');
  expect(config.couponTemplates[1]).toMatchObject({ kind: 'cash', threshold: 0 });
  expect(couponTypeOf(config.couponTemplates[1])).toBe('free');
  setField(config, 'couponTemplates.1.kind', 'select', 'discount');
  expect(config.couponTemplates[1].amount).toBeUndefined();
  expect(config.couponTemplates[1].rate).toBe(0.8);
  setField(config, 'couponTemplates.1.validity', 'choice', 'until');
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

it('keeps the rewards and the people console’s fields coherent too', () => {
  const config = JSON.parse(JSON.stringify(demoCampaign(new Date()))) as Loose;
  // a shipped prize turned coupon loses what only a physical prize has
  expect(config.lottery.prizes[5]).toMatchObject({ fulfilment: 'shipping', claimDays: 14 });
  setField(config, 'lottery.prizes.5.kind', 'select', 'coupon');
  expect(config.lottery.prizes[5]).not.toHaveProperty('fulfilment');
  expect(config.lottery.prizes[5]).not.toHaveProperty('claimDays');
  // a right without a quota is unlimited, and has no period
  setField(config, 'blackCard.rights.0.quota', 'int', '');
  expect(config.blackCard.rights[0]).not.toHaveProperty('quota');
  expect(config.blackCard.rights[0]).not.toHaveProperty('period');
  // a ladder step gives a coupon or a physical prize, never both
  setField(config, 'blackCard.milestones.0.reward', 'choice', 'coupon');
  expect(config.blackCard.milestones[0]).toEqual({ invites: 5, couponTemplateId: 'discount-80' });
  setField(config, 'blackCard.milestones.0.reward', 'choice', 'prize');
  expect(config.blackCard.milestones[0]).toEqual({ invites: 5, prizeId: 'tumbler' });
  // an audience in free text may be emptied; a variant for a growth tag cannot keep one
  setField(config, 'couponTemplates.2.segment', 'text', '');
  expect(config.couponTemplates[2]).not.toHaveProperty('segment');
  setField(config, 'couponTemplates.2.segment', 'text', 'new');
  setField(config, 'couponTemplates.2.variantOf', 'select', 'cash-50-10');
  expect(config.couponTemplates[2]).not.toHaveProperty('segment');
  // a rule set to 不改变 is gone; a switch is a boolean; a section switched off is gone
  setField(config, 'growthTags.rules.claimed', 'select', '');
  expect(config.growthTags.rules).not.toHaveProperty('claimed');
  setField(config, 'leaderboard.public', 'switch', 'false');
  expect(config.leaderboard.public).toBe(false);
  setField(config, 'invite.velocity', 'section', 'on');
  expect(config.invite.velocity).toEqual({ maxVerified: 5, withinMinutes: 10 });
  setField(config, 'reminders.unlockNear', 'section', 'off');
  expect(config.reminders).not.toHaveProperty('unlockNear');
  const parsed = parseCampaign(config);
  expect(parsed.ok ? [] : parsed.problems).toEqual([
    expect.objectContaining({ field: 'couponTemplates.2.segment' }),
  ]);
});

it('edits a template’s fields as rows, in order, never losing one to a repeated name', () => {
  const config = JSON.parse(JSON.stringify(demoCampaign(new Date()))) as Loose;
  const path = 'reminders.couponExpiring.fields';
  addMapRow(config, path);
  expect(Object.keys(config.reminders.couponExpiring.fields)).toEqual([
    'thing1',
    'time2',
    'thing3',
    'thing4',
  ]);
  expect(renameMapKey(config, path, 'thing4', 'thing1')).toBe('已有字段 thing1，换一个字段名');
  expect(renameMapKey(config, path, 'thing4', ' ')).toBe('字段名不能为空');
  expect(renameMapKey(config, path, 'thing4', 'amount4')).toBe('');
  expect(Object.keys(config.reminders.couponExpiring.fields)).toEqual([
    'thing1',
    'time2',
    'thing3',
    'amount4',
  ]);
  const rows = stepView(7, config, placeNotes(config, []))
    .blocks.filter((b) => b.kind === 'field' && b.path === path)
    .flatMap((b) => (b.kind === 'field' ? b.rows : []));
  expect(rows.map((r) => [r.key, r.value])).toEqual([
    ['thing1', '{title}'],
    ['time2', '{expiresAt}'],
    ['thing3', '券即将过期，别忘了到店使用'],
    ['amount4', ''],
  ]);
  // an empty row is the server's to name, beside it
  const parsed = parseCampaign(config);
  expect(parsed.ok ? [] : parsed.problems.map((p) => p.field)).toEqual([`${path}.amount4`]);
});

it('moves a ladder step, and lets only ordered lists move', () => {
  const config = JSON.parse(JSON.stringify(demoCampaign(new Date()))) as Loose;
  moveItem(config, 'leaders.ladder', 2, -1);
  expect(config.leaders.ladder.map((s: Loose) => s.id)).toEqual(['bronze', 'gold', 'silver']);
  moveItem(config, 'leaders.ladder', 0, -1); // the first stays first
  expect(config.leaders.ladder[0].id).toBe('bronze');
  const parsed = parseCampaign(config);
  expect(parsed.ok ? [] : parsed.problems).toEqual([
    expect.objectContaining({ field: 'leaders.ladder.2.threshold', message: '阶梯门槛须逐级升高' }),
  ]);
  const people = stepView(6, config, placeNotes(config, []));
  const ladder = people.blocks.find((b) => b.kind === 'list');
  expect(ladder?.kind === 'list' && ladder.items.map((i) => [i.canUp, i.canDown])).toEqual([
    [false, true],
    [true, true],
    [true, false],
  ]);
  const coupons = stepView(3, config, placeNotes(config, [])).blocks.find((b) => b.kind === 'list');
  expect(coupons?.kind === 'list' && coupons.items.some((i) => i.canUp || i.canDown)).toBe(false);
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
