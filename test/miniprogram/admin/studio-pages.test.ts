/** @jest-environment jsdom */
/**
 * The operator studio's other admin pages (issue 9) against the real backend: 活动管理 (the
 * campaigns with their figures and what each status allows), 管理员 (bind codes, removing), the
 * bind page a scanned code opens, and the dashboard's way to them.
 */
import { usePageBackend } from '../support/backend';
import { texts, usePages } from '../support/pages';
import { findIn, flushMicrotasks, tap, textOf, until } from '../support/simulate';
import { ROUTES } from '../../../miniprogram/utils/routes';

const open = usePages();
const backend = usePageBackend();

const OWNER = 'demo-admin';
const STAFF = 'demo-staff';

describe('活动管理', () => {
  it('lists every campaign with its status, figures and what can be done with it', async () => {
    await backend.as('visitor', 'api', { action: 'session.enter' });
    await backend.as(OWNER, 'admin', { action: 'campaign.create', cloneOf: 'demo-opening' });
    backend.actAs(OWNER);
    const page = await open('admin/pages/campaigns/index');
    const cards = findIn(page, 'cps-campaign');
    expect(cards).toHaveLength(2);
    expect(texts(cards[0], 'cps-campaign__status')).toEqual(['草稿']);
    expect(texts(cards[0], 'cps-action')).toEqual(['编辑', '发布', '复制']);
    expect(texts(cards[1], 'cps-campaign__status')).toEqual(['进行中']);
    expect(texts(cards[1], 'cps-action')).toEqual(['编辑', '暂停', '结束', '复制']);
    expect(textOf(cards[1])).toContain('访客看到的活动');
    expect(texts(cards[1], 'cps-figure__value')).toEqual(['1', '0', '0', '0']);
  });

  it('pauses after asking what it means for visitors, and offers to resume', async () => {
    backend.actAs(OWNER);
    const page = await open('admin/pages/campaigns/index');
    const modal = jest.spyOn(wx, 'showModal').mockResolvedValue({ confirm: true } as never);
    await tap(page.querySelector('.cps-action--pause'));
    await until(() => page.data.campaigns[0]?.status === 'paused', 'the pause');
    expect((modal.mock.calls[0][0] as { content: string }).content).toContain('活动暂停中');
    expect(texts(page, 'cps-action')).toEqual(['编辑', '恢复', '结束', '复制']);
    await tap(page.querySelector('.cps-action--resume'));
    await until(() => page.data.campaigns[0]?.status === 'live', 'the resume');
  });

  it('changes nothing when the operator says no', async () => {
    backend.actAs(OWNER);
    const page = await open('admin/pages/campaigns/index');
    jest.spyOn(wx, 'showModal').mockResolvedValue({ confirm: false } as never);
    await tap(page.querySelector('.cps-action--end'));
    await flushMicrotasks();
    expect(backend.calls.filter((c) => c.data.action === 'campaign.setStatus')).toHaveLength(0);
  });

  it('clones a campaign and opens the copy in the editor; 新建 starts from a valid blank one', async () => {
    backend.actAs(OWNER);
    const navigate = jest.spyOn(wx, 'navigateTo');
    const page = await open('admin/pages/campaigns/index');
    await tap(page.querySelector('.cps-action--clone'));
    await until(() => navigate.mock.calls.length === 1, 'the editor');
    expect(navigate.mock.calls[0][0]).toMatchObject({
      url: `${ROUTES.editor}?id=demo-opening-2`,
    });
    await tap(page.querySelector('.cps-create'));
    await until(() => navigate.mock.calls.length === 2, 'the editor again');
    const url = (navigate.mock.calls[1][0] as { url: string }).url;
    const id = decodeURIComponent(url.split('id=')[1]);
    const blank = await backend.as(OWNER, 'admin', { action: 'campaign.get', id });
    expect(blank).toMatchObject({ status: 'draft', active: false });
  });

  it('is for owners only', async () => {
    backend.actAs(STAFF);
    const staff = await open('admin/pages/campaigns/index');
    expect(staff.data.state).toBe('staff');
    backend.actAs('visitor');
    const visitor = await open('admin/pages/campaigns/index');
    expect(visitor.data.state).toBe('refused');
    expect(textOf(visitor)).toContain('此页面仅限活动运营人员使用');
    expect(backend.calls.filter((c) => c.data.action === 'campaign.list')).toHaveLength(0);
  });
});

describe('管理员', () => {
  it('makes a bind code for a named person, shown as a Mini Program code and as text', async () => {
    backend.actAs(OWNER);
    const page = await open('admin/pages/admins/index');
    expect(texts(page, 'adm-entry__name')).toEqual(['演示运营（我）', '演示店员']);
    // a name is asked for first
    await tap(page.querySelector('.adm-form__submit'));
    expect(textOf(page.querySelector('.adm-form__error'))).toContain('请填写');
    page
      .querySelector('.adm-form__name')!
      .dispatchEvent('input', { detail: { value: '店员小王' } });
    await flushMicrotasks();
    await tap(page.querySelector('.adm-form__submit'));
    await until(() => Boolean(page.data.code), 'the code');
    const code = page.data.code as { code: string; qrImage: string; name: string };
    expect(textOf(page.querySelector('.adm-code'))).toContain('扫码后对方成为店员「店员小王」');
    expect(textOf(page.querySelector('.adm-code__value'))).toBe(code.code);
    expect(code.qrImage).toMatch(/^data:image\/png;base64,/);

    // the new person binds with it; the list shows them
    await backend.as('new-staff', 'api', { action: 'admin.bind', code: code.code });
    await tap(page.querySelector('.adm-code__done'));
    await until(() => page.data.admins.length === 3, 'the new admin');
    expect(texts(page, 'adm-entry__name')).toContain('店员小王');
  });

  it('removes an admin after asking, and says why the last owner cannot go', async () => {
    backend.actAs(OWNER);
    const page = await open('admin/pages/admins/index');
    jest.spyOn(wx, 'showModal').mockResolvedValue({ confirm: true } as never);
    const toast = jest.spyOn(wx, 'showToast');
    const [me, staff] = findIn(page, 'adm-entry__remove');
    expect(textOf(me)).toBe('退出');
    const removeStaff = page.querySelectorAll('.adm-entry__remove')[1];
    await tap(removeStaff);
    await until(() => page.data.admins.length === 1, 'the removal');
    expect(textOf(staff)).toBe('移除');
    const toasts = toast.mock.calls.length; // 已移除
    await tap(page.querySelector('.adm-entry__remove'));
    await until(() => toast.mock.calls.length > toasts, 'the refusal');
    expect(toast.mock.calls.at(-1)?.[0]).toMatchObject({
      title: '不能移除最后一位负责人：请先添加另一位负责人',
    });
    expect(page.data.admins).toHaveLength(1);
  });
});

describe('绑定管理员', () => {
  it('binds with the code a scan brought, and shows the way into the admin area', async () => {
    const { code } = await backend.as(OWNER, 'admin', {
      action: 'admins.createBindCode',
      role: 'staff',
      name: '店员小李',
    });
    backend.actAs('new-staff');
    const page = await open('admin/pages/bind/index', { scene: encodeURIComponent(code) });
    await until(() => page.data.state === 'bound', 'the bind');
    expect(textOf(page.querySelector('.bind-done'))).toContain('你已成为店员');
    expect(textOf(page.querySelector('.bind-done'))).toContain('店员小李');
    const session = await backend.as('new-staff', 'api', { action: 'session.enter' });
    expect(session.role).toBe('staff');
  });

  it('says in Chinese why a code did not work, and lets the person type another', async () => {
    backend.actAs('guesser');
    const page = await open('admin/pages/bind/index', { scene: 'ABCDEFGHJK' });
    await until(() => page.data.state === 'form' && Boolean(page.data.error), 'the refusal');
    expect(textOf(page.querySelector('.bind-error'))).toBe(
      '绑定码无效，请核对后重试，或请负责人重新生成',
    );
    page.querySelector('.bind-input')!.dispatchEvent('input', { detail: { value: '' } });
    await flushMicrotasks();
    await tap(page.querySelector('.bind-submit'));
    expect(textOf(page.querySelector('.bind-error'))).toBe('请输入负责人给你的 10 位绑定码');
  });
});

it('the dashboard leads owners to 活动管理 and 管理员', async () => {
  backend.actAs(OWNER);
  const navigate = jest.spyOn(wx, 'navigateTo');
  const page = await open('admin/pages/dashboard/index');
  await tap(page.querySelector('.dash-entry--campaigns'));
  await tap(page.querySelector('.dash-entry--admins'));
  expect(navigate.mock.calls.map(([options]) => (options as { url: string }).url)).toEqual([
    ROUTES.campaigns,
    ROUTES.admins,
  ]);
});
