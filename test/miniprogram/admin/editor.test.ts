/** @jest-environment jsdom */
/**
 * The campaign editor (operator studio, issue 9) against the real backend: every field's problem
 * shown in Chinese beside that very field, a stale save's CONFLICT with a reload, the steps'
 * problem dots, the list editing that keeps a config coherent, and 发布 after the projection.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  STEPS,
  parsePath,
  setAt,
  type BlockView,
  type FieldView,
} from '../../../miniprogram/admin/utils/campaign-form';
import { usePageBackend } from '../support/backend';
import { usePages, type Page } from '../support/pages';
import {
  flushMicrotasks,
  routeCloudFunctions,
  tap,
  textOf,
  until,
  type SimNode,
} from '../support/simulate';

const open = usePages();
const backend = usePageBackend();

type Answer = { ok: boolean; data?: any; error?: { code: string; issues?: any[] } };

const OWNER = 'demo-admin';

/** What the last campaign.update answered; and, when set, the config it sends instead. */
let lastUpdate: Answer | undefined;
let sendInstead: Record<string, any> | undefined;

beforeEach(() => {
  lastUpdate = undefined;
  sendInstead = undefined;
  backend.actAs(OWNER);
  // the page talks to the real functions; this only remembers the saves' answers (and, for the
  // fields no control can get wrong, sends the server a config wrong at that field)
  const cloud = (wx as unknown as { cloud: Record<string, unknown> }).cloud;
  const { uploadFile } = cloud; // the emulated storage, kept
  routeCloudFunctions(async (name, data) => {
    const event =
      data.action === 'campaign.update' && sendInstead ? { ...data, config: sendInstead } : data;
    backend.calls.push({ name, data: event, openid: OWNER });
    const answer = (await backend.emulator.invoke(name, event, { openid: OWNER })).result as Answer;
    if (data.action === 'campaign.update') lastUpdate = answer;
    return answer;
  });
  (wx as unknown as { cloud: Record<string, unknown> }).cloud.uploadFile = uploadFile;
});

async function cloneDemo(): Promise<string> {
  return (await backend.as(OWNER, 'admin', { action: 'campaign.create', cloneOf: 'demo-opening' }))
    .id;
}

const openEditor = (id: string, step = 0) =>
  open('admin/pages/editor/index', { id, step: String(step) });

/** Every field the step shows: top-level, and each list's fields (once per kind of field). */
function fieldsOf(blocks: BlockView[]): FieldView[] {
  const fields: FieldView[] = [];
  const seen = new Set<string>();
  for (const block of blocks) {
    if (block.kind === 'field') fields.push(block);
    if (block.kind === 'list') {
      for (const item of block.items) {
        for (const field of item.fields) {
          const shape = `${field.path.replace(/\.\d+\./, '.#.')}:${field.type}`;
          if (seen.has(shape)) continue;
          seen.add(shape);
          fields.push(field);
        }
      }
    }
  }
  return fields;
}

/** A value the server refuses at a field of this type. */
const BAD: Partial<Record<FieldView['type'], string>> = {
  text: 'x'.repeat(1100),
  textarea: 'x'.repeat(1100),
  image: 'x'.repeat(1100),
  int: '-5',
  fen: '-5',
  stock: '-5',
  rate: '5',
  datetime: '明天早上',
  select: 'bogus',
  switch: 'yes',
  section: '关',
  map: '字段',
};
const TYPED: ReadonlyArray<FieldView['type']> = ['text', 'textarea', 'int', 'fen', 'stock', 'rate'];

const errorAt = (page: Page, slug: string) => textOf(page.querySelector(`.err-${slug}`));

/**
 * A clone of the demo that uses every optional part too (a ladder step with a coupon, the velocity
 * rule, vesting, a per-tag coupon variant), so every kind of field is on screen somewhere.
 */
async function cloneUsingEverything(): Promise<string> {
  const id = await cloneDemo();
  const { config, updatedAt } = await backend.as(OWNER, 'admin', { action: 'campaign.get', id });
  config.blackCard.milestones.push({
    invites: 7,
    couponTemplateId: 'discount-80',
    title: '七人礼',
  });
  config.invite.velocity = { maxVerified: 5, withinMinutes: 10 };
  config.invite.vestingHours = 24;
  Object.assign(config.couponTemplates[2], { variantOf: 'cash-50-10', segment: 'S' });
  await backend.as(OWNER, 'admin', {
    action: 'campaign.update',
    id,
    config,
    expectedUpdatedAt: updatedAt,
  });
  return id;
}

describe('problems beside their fields', () => {
  it('shows every field’s problem, in Chinese, beside that field and nowhere else', async () => {
    const id = await cloneUsingEverything();
    const original = (await backend.as(OWNER, 'admin', { action: 'campaign.get', id })).config;
    expect(original.invite.velocity).toEqual({ maxVerified: 5, withinMinutes: 10 });
    const page = await openEditor(id);
    let checked = 0;
    for (let step = 0; step < STEPS.length; step++) {
      await page.instance.goTo(step);
      for (const field of fieldsOf(page.data.view.blocks as BlockView[])) {
        const bad = BAD[field.type];
        if (bad === undefined) continue; // a pseudo-field (有效期方式, 奖励) has no value of its own
        await page.instance.load(); // the stored config again, no messages
        await flushMicrotasks();
        if (TYPED.includes(field.type)) {
          // typed as an operator would, into that field's own control
          const control = page.querySelector(`.f-${field.slug} .ed-control`);
          expect([field.path, Boolean(control)]).toEqual([field.path, true]);
          control!.dispatchEvent('input', { detail: { value: bad } });
          await flushMicrotasks();
        } else {
          // a picker or an upload cannot give a wrong value: the server is sent one at that path
          sendInstead = JSON.parse(JSON.stringify(original));
          setAt(sendInstead!, parsePath(field.path), bad);
          page.instance.changed();
        }
        await page.instance.save();
        sendInstead = undefined;
        await flushMicrotasks();

        const issues = (lastUpdate?.error?.issues ?? []).filter(
          (i: { path: string }) => i.path === `config.${field.path}`,
        );
        expect([field.path, issues.length > 0]).toEqual([field.path, true]);
        const shown = errorAt(page, field.slug);
        expect([field.path, shown]).toEqual([
          field.path,
          issues.map((i: { message: string }) => i.message).join('；'),
        ]);
        expect([field.path, /[\u4e00-\u9fa5]/.test(shown)]).toEqual([field.path, true]);
        // and the operator is told the step it is in
        expect(page.data.steps[step].problems).toBeGreaterThan(0);
        checked++;
      }
    }
    // the steps' fields, each checked (the list fields once per kind)
    expect(checked).toBeGreaterThan(90);
  });

  it('keeps a problem beside its field until the field is changed, and counts it on its step', async () => {
    const page = await openEditor(await cloneDemo(), 2);
    page.querySelector('.f-lottery-prizes-0-stock .ed-control')!.dispatchEvent('input', {
      detail: { value: '-1' },
    });
    page.querySelector('.f-lottery-prizes-1-weight .ed-control')!.dispatchEvent('input', {
      detail: { value: 'many' },
    });
    await tap(page.querySelector('.ed-nav__next'));
    await flushMicrotasks();
    expect(lastUpdate?.error?.code).toBe('BAD_REQUEST');
    expect(page.data.stepIndex).toBe(2); // stays beside the problems
    expect(errorAt(page, 'lottery-prizes-0-stock')).toBe('库存须为不小于 0 的整数，留空表示不限量');
    expect(errorAt(page, 'lottery-prizes-1-weight')).toBe(
      '中奖权重须为不小于 0 的整数（相对概率）',
    );
    expect(page.data.steps.map((s: { problems: number }) => s.problems)).toEqual([
      0, 0, 2, 0, 0, 0, 0, 0, 0,
    ]);
    // typing again clears that field's message at once
    page.querySelector('.f-lottery-prizes-0-stock .ed-control')!.dispatchEvent('input', {
      detail: { value: '12' },
    });
    await flushMicrotasks();
    expect(errorAt(page, 'lottery-prizes-0-stock')).toBe('');
    expect(errorAt(page, 'lottery-prizes-1-weight')).not.toBe('');
  });

  it('says which other steps still have problems', async () => {
    const id = await cloneDemo();
    const page = await openEditor(id, 1);
    page
      .querySelector('.f-magnet-title .ed-control')!
      .dispatchEvent('input', { detail: { value: '' } });
    await page.instance.goTo(0);
    page
      .querySelector('.f-title .ed-control')!
      .dispatchEvent('input', { detail: { value: '新标题' } });
    await tap(page.querySelector('.ed-nav__next'));
    await flushMicrotasks();
    // nothing wrong here: on to step 2, where the problem is
    expect(page.data.stepIndex).toBe(1);
    expect(errorAt(page, 'magnet-title')).toBe('引流抓手标题不能为空');
    await page.instance.goTo(3);
    expect(textOf(page.querySelector('.ed-elsewhere'))).toBe('还需修改：第 2 步「引流福利」1 处');
  });

  it('places a problem of a list or an item at its head (须有且只有一个兜底奖品)', async () => {
    const page = await openEditor(await cloneDemo(), 2);
    await tap(page.querySelector('.ed-list__add'));
    await flushMicrotasks();
    const items = () => (page.data.view.blocks as BlockView[]).find((b) => b.kind === 'list');
    expect(items()?.kind === 'list' && items()?.items.length).toBe(9);
    // a 13th prize is refused by the server at the list
    for (let n = 0; n < 4; n++) {
      page.instance.onAddItem({ currentTarget: { dataset: { list: 'lottery.prizes' } } });
    }
    await page.instance.save();
    await flushMicrotasks();
    expect(textOf(page.querySelector('.ed-list__error'))).toBe(
      '转盘须有 6–12 个奖品（扇区），现有 13 个',
    );
  });
});

describe('saving', () => {
  it('saves on the loaded version; when someone else saved meanwhile, offers to reload', async () => {
    const id = await cloneDemo();
    const page = await openEditor(id);
    // another operator saves first
    const other = await backend.as(OWNER, 'admin', { action: 'campaign.get', id });
    await backend.as(OWNER, 'admin', {
      action: 'campaign.update',
      id,
      config: { ...other.config, title: '别人改的标题' },
      expectedUpdatedAt: other.updatedAt,
    });
    const modal = jest.spyOn(wx, 'showModal').mockResolvedValue({ confirm: true } as never);
    page
      .querySelector('.f-title .ed-control')!
      .dispatchEvent('input', { detail: { value: '我的标题' } });
    await flushMicrotasks();
    expect(await page.instance.save()).toBe('conflict');
    expect(lastUpdate?.error?.code).toBe('CONFLICT');
    expect(modal).toHaveBeenCalledWith(
      expect.objectContaining({ title: '活动已被其他人修改', confirmText: '重新载入' }),
    );
    await flushMicrotasks();
    // reloaded: the other operator's title, nothing lost silently
    expect(page.data.title).toBe('别人改的标题');
    expect(page.data.dirty).toBe(false);
  });

  it('shows a save’s warnings beside their fields', async () => {
    const page = await openEditor(await cloneDemo(), 4);
    const select = page.querySelector('.f-invite-whenClaimClosed .ed-control')!;
    select.dispatchEvent('change', { detail: { value: 1 } }); // 不再认定新的有效邀请
    await flushMicrotasks();
    expect(await page.instance.save()).toBe('saved');
    await flushMicrotasks();
    expect(textOf(page.querySelector('.warn-invite-whenClaimClosed'))).toContain(
      '之后好友的邀请无法认定',
    );
  });

  it('keeps a config coherent: a coupon prize gets a template, the fallback is one and unlimited', async () => {
    const id = await cloneDemo();
    const page = await openEditor(id, 2);
    // 定制保温杯 becomes a coupon prize: the first coupon template is chosen for it
    page.querySelector('.f-lottery-prizes-0-kind .ed-control')!.dispatchEvent('change', {
      detail: { value: 0 },
    });
    await flushMicrotasks();
    expect(page.querySelector('.f-lottery-prizes-0-couponTemplateId')).toBeDefined();
    page.instance.onSetFallback({ currentTarget: { dataset: { index: 1 } } });
    expect(await page.instance.save()).toBe('saved');
    const config = (await backend.as(OWNER, 'admin', { action: 'campaign.get', id })).config;
    expect(config.lottery.prizes[0]).toMatchObject({
      kind: 'coupon',
      couponTemplateId: 'discount-80',
    });
    expect(config.lottery.prizes.filter((p: { fallback: boolean }) => p.fallback)).toHaveLength(1);
    expect(config.lottery.prizes[1]).toMatchObject({ fallback: true, stock: null });
  });

  it('uploads an image to cloud storage and saves its file', async () => {
    const scratch = mkdtempSync(join(tmpdir(), 'growth-kit-editor-'));
    try {
      const file = join(scratch, 'hero.PNG');
      writeFileSync(file, Buffer.from('\x89PNG\r\n\x1a\n hero'));
      jest.spyOn(wx, 'chooseMedia').mockResolvedValue({
        tempFiles: [{ tempFilePath: file, size: 10, fileType: 'image' }],
        type: 'image',
      } as never);
      const id = await cloneDemo();
      const page = await openEditor(id, 1);
      await tap(page.querySelector('.f-magnet-image .ed-control'));
      // the file is read from the phone and stored: real I/O, not just promises
      await until(() => Boolean(page.data.previews['magnet.image']), 'the upload');
      expect(await page.instance.save()).toBe('saved');
      const config = (await backend.as(OWNER, 'admin', { action: 'campaign.get', id })).config;
      expect(config.magnet.image).toMatch(
        /^cloud:\/\/.+\/campaigns\/demo-opening-2\/\d+-\w+\.png$/,
      );
    } finally {
      rmSync(scratch, { recursive: true, force: true });
    }
  });
});

it('does not open an ended campaign for editing', async () => {
  await backend.as(OWNER, 'admin', {
    action: 'campaign.setStatus',
    id: 'demo-opening',
    status: 'ended',
  });
  const page = await openEditor('demo-opening');
  expect(page.data.state).toBe('error');
  expect(textOf(page)).toContain('活动已结束，不能再修改');
});

describe('推演与发布', () => {
  it('shows the projection with its warnings, then publishes the draft after asking', async () => {
    const id = await cloneDemo();
    const page = await openEditor(id, STEPS.length);
    await flushMicrotasks(30);
    const projection = page.data.projection;
    expect(projection.columns).toHaveLength(30);
    expect(projection.warnings.map((w: { message: string }) => w.message).join('\n')).toMatch(
      /群池预计第 \d+ 天/,
    );
    expect(textOf(page.querySelector('.ed-warnings'))).toContain('发布前请注意');
    expect(page.data.channelsTraffic.map((c: { value: string }) => c.value)).toEqual([
      '30',
      '30',
      '30',
      '30',
    ]);

    const modal = jest.spyOn(wx, 'showModal').mockResolvedValue({ confirm: true } as never);
    await page.instance.onPublish();
    expect(modal.mock.calls[0][0]).toMatchObject({ title: '发布活动？', confirmText: '发布' });
    expect((modal.mock.calls[0][0] as { content: string }).content).toContain(
      '正在进行的「山野茶事 · 新店开业 会员招募季」会结束',
    );
    const stored = await backend.as(OWNER, 'admin', { action: 'campaign.get', id });
    expect(stored).toMatchObject({ status: 'live', active: true });
  });

  it('re-projects with the operator’s traffic', async () => {
    const page = await openEditor(await cloneDemo(), STEPS.length);
    await flushMicrotasks(30);
    const before = page.data.projection.totals[0].value;
    page.instance.onTrafficInput({
      currentTarget: { dataset: { code: 'moments' } },
      detail: { value: '300' },
    });
    page.instance.onRateInput({
      currentTarget: { dataset: { key: 'claimRate' } },
      detail: { value: '80' },
    });
    await page.instance.onSimulate();
    const simulate = backend.calls.filter((c) => c.data.action === 'campaign.simulate').pop();
    expect(simulate?.data.assumptions).toMatchObject({
      visitorsPerDay: { moments: 300 },
      claimRate: 0.8,
    });
    expect(page.data.projection.totals[0].value).not.toBe(before);
  });
});

describe('the rewards’ and the people console’s fields', () => {
  const stored = async (id: string) =>
    (await backend.as(OWNER, 'admin', { action: 'campaign.get', id })).config;
  const control = (page: Page, path: string) =>
    page.querySelector(`.f-${path.replace(/\./g, '-')} .ed-control`)!;
  /** A map's row's key or value input (`.ed-map__key`, `.ed-map__value`). */
  const rowInput = (page: Page, path: string, input: string) =>
    page.querySelector(`.r-${path.replace(/[^A-Za-z0-9_-]/g, '-')} ${input}`)!;
  /** What a control hands the page, as the phone does: after the current task. */
  async function fire(node: SimNode, event: string, value: unknown): Promise<void> {
    node.dispatchEvent(event, { detail: { value } });
    await flushMicrotasks();
  }

  it('adds a ladder step and a reminder field, switches on the velocity rule, and saves them', async () => {
    const id = await cloneDemo();
    const page = await openEditor(id, 4);
    // 阶梯奖励: a second step, for six friends, giving the tumbler
    await tap(page.querySelector('.l-blackCard-milestones .ed-list__add'));
    await fire(control(page, 'blackCard.milestones.1.reward'), 'change', 1); // 实物奖品
    await flushMicrotasks();
    expect(textOf(page.querySelector('.f-blackCard-milestones-1-prizeId'))).toContain('定制保温杯');
    await fire(control(page, 'blackCard.milestones.1.title'), 'input', '六人礼');
    // 邀请速度限制: off in the demo; on, then 3 within the default 10 minutes
    expect(page.querySelector('.f-invite-velocity-maxVerified')).toBeUndefined();
    await tap(control(page, 'invite.velocity'));
    await fire(control(page, 'invite.velocity.maxVerified'), 'input', '3');
    expect(await page.instance.save()).toBe('saved');

    // 消息提醒: the expiring coupon's template gets a fourth field, renamed and filled
    await page.instance.goTo(7);
    const fields = 'reminders.couponExpiring.fields';
    await tap(page.querySelector(`.f-${fields.replace(/\./g, '-')} .ed-map__add`));
    await fire(rowInput(page, `${fields}.thing4`, '.ed-map__key'), 'blur', 'amount4');
    await flushMicrotasks();
    await fire(rowInput(page, `${fields}.amount4`, '.ed-map__value'), 'input', '{label}');
    const answer = await page.instance.save();
    expect([answer, lastUpdate?.error]).toEqual(['saved', undefined]);

    const config = await stored(id);
    expect(config.blackCard.milestones).toEqual([
      { invites: 5, prizeId: 'tote' },
      { invites: 6, prizeId: 'tumbler', title: '六人礼' },
    ]);
    expect(config.invite.velocity).toEqual({ maxVerified: 3, withinMinutes: 10 });
    expect(config.reminders.couponExpiring.fields).toEqual({
      thing1: '{title}',
      time2: '{expiresAt}',
      thing3: '券即将过期，别忘了到店使用',
      amount4: '{label}',
    });
    expect(Object.keys(config.reminders.couponExpiring.fields)).toEqual([
      'thing1',
      'time2',
      'thing3',
      'amount4',
    ]);
  });

  it('shows a bad value’s problem beside its row, its ladder step or its right', async () => {
    const id = await cloneDemo();
    const page = await openEditor(id, 7);
    const fields = 'reminders.poolAlert.fields';
    await fire(rowInput(page, `${fields}.time2`, '.ed-map__value'), 'input', '{when}');
    await page.instance.save();
    await flushMicrotasks();
    expect(textOf(page.querySelector(`.err-${fields.replace(/\./g, '-')}-time2`))).toBe(
      '未知的变量 {when}，可用：{message}、{at}、{campaign}',
    );
    expect(page.data.steps[7].problems).toBe(1);

    // a row name WeChat's templates never have: beside that row
    await fire(rowInput(page, `${fields}.time2`, '.ed-map__key'), 'blur', 'Time 2');
    await page.instance.save();
    await flushMicrotasks();
    expect(textOf(page.querySelector('.err-reminders-poolAlert-fields-Time-2'))).toBe(
      '群池告警提醒的字段名须如 thing1、number2、time3',
    );

    // a second ladder step for the same number of friends, a quota of none
    await page.instance.load();
    await page.instance.goTo(4);
    await tap(page.querySelector('.l-blackCard-milestones .ed-list__add'));
    await fire(control(page, 'blackCard.milestones.1.invites'), 'input', '5');
    await fire(control(page, 'blackCard.rights.0.quota'), 'input', '0');
    await page.instance.save();
    await flushMicrotasks();
    expect(textOf(page.querySelector('.err-blackCard-milestones-1-invites'))).toBe(
      '邀请 5 人的阶梯重复',
    );
    expect(textOf(page.querySelector('.err-blackCard-rights-0-quota'))).toBe(
      '每期可用次数须为 1–1000 的整数',
    );
    expect((await stored(id)).blackCard.milestones).toHaveLength(1); // nothing written
  });

  it('refuses a row name another row has, rather than losing a row', async () => {
    const page = await openEditor(await cloneDemo(), 7);
    const fields = 'reminders.inviteProgress.fields';
    const toast = jest.spyOn(wx, 'showToast');
    await fire(rowInput(page, `${fields}.thing2`, '.ed-map__key'), 'blur', 'thing1');
    await flushMicrotasks();
    expect(toast).toHaveBeenCalledWith(
      expect.objectContaining({ title: '已有字段 thing1，换一个字段名' }),
    );
    const map = (page.data.view.blocks as BlockView[]).find(
      (b) => b.kind === 'field' && b.path === fields,
    );
    expect(map?.kind === 'field' && map.rows.map((r) => r.key)).toEqual(['thing1', 'thing2']);
    expect(page.data.dirty).toBe(false);
  });

  it('switches a reminder off and back on without losing what it said', async () => {
    const id = await cloneDemo();
    const page = await openEditor(id, 7);
    await tap(control(page, 'reminders.groupReady'));
    expect(page.querySelector('.f-reminders-groupReady-templateId')).toBeUndefined();
    expect(await page.instance.save()).toBe('saved');
    expect((await stored(id)).reminders).not.toHaveProperty('groupReady');
    await tap(control(page, 'reminders.groupReady'));
    expect(await page.instance.save()).toBe('saved');
    expect((await stored(id)).reminders.groupReady).toEqual({
      templateId: 'demo-group-ready',
      fields: { thing1: '会员群有位置了', thing2: '点击领取入群二维码' },
    });
  });

  it('moves prizes on the wheel, sets tag rules, a leader step and the public leaderboard', async () => {
    const id = await cloneDemo();
    const page = await openEditor(id, 2);
    await tap(page.querySelector('.l-lottery-prizes .ed-move--down')); // 保温杯 after 8折券
    await page.instance.goTo(6);
    await fire(control(page, 'growthTags.rules.spun'), 'change', 3); // B · 已领取
    await tap(page.querySelector('.l-leaders-ladder .ed-list__add'));
    await fire(control(page, 'leaders.ladder.3.reward'), 'input', '年度免单一次');
    await tap(control(page, 'leaderboard.public'));
    expect(page.querySelector('.f-leaderboard-size')).toBeUndefined();
    expect(await page.instance.save()).toBe('saved');

    const config = await stored(id);
    expect(config.lottery.prizes.slice(0, 2).map((p: { id: string }) => p.id)).toEqual([
      'off-20',
      'tumbler',
    ]);
    expect(config.growthTags.rules).toMatchObject({ spun: 'B', claimed: 'B', redeemed: 'S' });
    expect(config.leaders.ladder[3]).toMatchObject({
      id: 'level-4',
      threshold: 110,
      reward: '年度免单一次',
    });
    expect(config.leaderboard.public).toBe(false);
  });
});
