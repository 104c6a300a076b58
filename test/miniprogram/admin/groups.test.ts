/** @jest-environment jsdom */
/**
 * The group-pool page against the real backend: adding a group QR (chooseMedia answers a real
 * temporary file, uploadFile stores it in the emulated storage), stopping a group, the server's
 * validation shown beside the form, and who may use the page.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { formatDate, formatDateTime } from '../../../miniprogram/utils/format';
import { usePageBackend } from '../support/backend';
import { text, usePages, type Page } from '../support/pages';
import {
  attrOf,
  classesOf,
  findIn,
  flushMicrotasks,
  tap,
  textOf,
  until,
} from '../support/simulate';

const open = usePages();
const backend = usePageBackend();
let scratch: string;
beforeEach(() => {
  scratch = mkdtempSync(join(tmpdir(), 'growth-kit-groups-'));
});
afterEach(() => {
  rmSync(scratch, { recursive: true, force: true });
});

const OWNER = 'demo-admin';
const DAY = 24 * 60 * 60 * 1000;
const HOUR = 60 * 60 * 1000;
/** Not a real PNG, but bytes the test can recognise in the storage. */
const IMAGE = Buffer.from('\x89PNG\r\n\x1a\n group qr for the test');

const openGroups = () => open('admin/pages/groups/index');

const names = (page: Page) => findIn(page, 'grps-group__name').map((n) => textOf(n));
const actions = () => backend.calls.map((c) => c.data.action);

/** The phone's photo picker answers one image: a real file in a scratch folder. */
function pickerAnswers(fileName: string) {
  const tempFilePath = join(scratch, fileName);
  writeFileSync(tempFilePath, IMAGE);
  const chooseMedia = jest.spyOn(wx, 'chooseMedia').mockResolvedValue({
    tempFiles: [{ tempFilePath, size: IMAGE.length, fileType: 'image' }],
    type: 'image',
  } as never);
  return { tempFilePath, chooseMedia };
}

function type(page: Page, selector: string, value: string) {
  page.querySelector(selector)?.dispatchEvent('input', { detail: { value } });
}

async function groupDocs(): Promise<Array<Record<string, any>>> {
  const { data } = await backend.emulator.sdk.database().collection('groups').get();
  return data as Array<Record<string, any>>;
}

/** Adds a group through the form and waits for the list to show it. */
async function addThroughForm(page: Page, name: string) {
  const picked = pickerAnswers('group-qr.PNG');
  await tap(page.querySelector('.grps-image'));
  type(page, '.grps-form__name', name);
  await flushMicrotasks();
  await tap(page.querySelector('.grps-form__submit'));
  await until(() => names(page).includes(name) && !page.data.submitting, `${name} in the pool`);
  return picked;
}

/** What the pool says of a group: 发放中, 已停用… ('' when it is not listed). */
function statusOf(page: Page, name: string): string {
  const row = findIn(page, 'grps-group').find(
    (r) => textOf(findIn(r, 'grps-group__name')[0]) === name,
  );
  return row ? textOf(findIn(row, 'grps-group__status')[0]) : '';
}

/** The row of a group (as rendered) and its stop/restart button (to tap). */
async function rowNamed(page: Page, name: string) {
  const row = findIn(page, 'grps-group').find(
    (r) => textOf(findIn(r, 'grps-group__name')[0]) === name,
  );
  if (!row) throw new Error(`no row for ${name}`);
  const id = (await groupDocs()).find((g) => g.name === name)?._id;
  const toggle = page
    .querySelectorAll('.grps-group__toggle')
    .find((button) => attrOf(button, 'data-id') === id);
  return { row, status: textOf(findIn(row, 'grps-group__status')[0]), toggle };
}

async function groupGet(openid: string) {
  await backend.as(openid, 'api', { action: 'session.enter' });
  await backend.as(openid, 'api', { action: 'magnet.claim', requestId: `claim-${openid}` });
  return (await backend.emulator.invoke('api', { action: 'group.get' }, { openid })).result as any;
}

test('an owner adds a group QR: uploaded, in the pool with its fileID and the defaults', async () => {
  backend.actAs(OWNER);
  const before = Date.now();
  const page = await openGroups();
  const after = Date.now();
  expect(names(page).sort()).toEqual(['福利群 1 群', '福利群 2 群', '福利群 3 群']);

  // the defaults: 7 days less an hour from now (Shanghai time), 180 people
  const date = text(page, '.grps-when__date');
  const time = text(page, '.grps-when__time');
  const shown = (ms: number) => {
    const iso = new Date(ms + 7 * DAY - HOUR).toISOString();
    return `${formatDate(iso)} ${formatDateTime(iso).slice(-5)}`;
  };
  expect([shown(before), shown(after)]).toContain(`${date} ${time}`);
  expect(attrOf(page.querySelector('.grps-form__capacity'), 'value')).toBe('180');

  const { tempFilePath, chooseMedia } = await addThroughForm(page, '开业福利 4 群');
  expect(chooseMedia).toHaveBeenCalledWith({
    count: 1,
    mediaType: ['image'],
    sourceType: ['album', 'camera'],
  });

  const added = (await groupDocs()).find((g) => g.name === '开业福利 4 群');
  expect(added).toMatchObject({ capacity: 180, handedOut: 0, active: true });
  expect(added!.qrUrl).toMatch(/^cloud:\/\/[^/]+\/groups\/\d+-[a-z0-9]+\.png$/);
  const cloudPath = String(added!.qrUrl).replace(/^cloud:\/\/[^/]+\//, '');
  expect(await backend.emulator.sdk.readStoredFile(cloudPath)).toEqual(IMAGE);
  // the expiry shown in the pickers, read as Shanghai time
  expect(new Date(added!.expiresAt).getTime()).toBe(Date.parse(`${date}T${time}:00+08:00`));
  expect(tempFilePath).toContain(scratch);

  // the form is ready for the next one
  expect(attrOf(page.querySelector('.grps-form__name'), 'value')).toBe('');
  expect(page.querySelector('.grps-image__preview')).toBeUndefined();
  expect(textOf((await rowNamed(page, '开业福利 4 群')).row)).toContain('已发 0/180');
});

test('stopping a group takes it out of the hand-outs; restarting puts it back', async () => {
  backend.actAs(OWNER);
  const page = await openGroups();
  await addThroughForm(page, '开业福利 4 群');
  // the seeded groups are retired, so the new one is the only one left
  for (const group of await groupDocs()) {
    if (group.name === '开业福利 4 群') continue;
    await backend.as(OWNER, 'admin', {
      action: 'groups.upsert',
      id: group._id,
      name: group.name,
      qrUrl: group.qrUrl,
      expiresAt: new Date(group.expiresAt).toISOString(),
      active: false,
    });
  }
  const first = await groupGet('member-0001');
  expect(first).toMatchObject({ ok: true, data: { name: '开业福利 4 群' } });

  const modal = jest.spyOn(wx, 'showModal');
  const { toggle } = await rowNamed(page, '开业福利 4 群');
  expect(textOf(toggle)).toBe('停用');
  await tap(toggle);
  await until(() => statusOf(page, '开业福利 4 群') === '已停用', 'the group to read 已停用');
  expect(modal).toHaveBeenCalledWith(expect.objectContaining({ title: '停用「开业福利 4 群」？' }));
  const stopped = (await groupDocs()).find((g) => g.name === '开业福利 4 群');
  expect(stopped).toMatchObject({
    active: false,
    capacity: 180,
    qrUrl: expect.stringMatching(/^cloud:/),
  });

  // nobody is handed it any more: not a new member, not the one who had it
  expect((await groupGet('member-0002')).error).toMatchObject({ code: 'GROUP_UNAVAILABLE' });
  expect((await groupGet('member-0001')).error).toMatchObject({ code: 'GROUP_UNAVAILABLE' });

  const restart = (await rowNamed(page, '开业福利 4 群')).toggle;
  expect(textOf(restart)).toBe('启用');
  await tap(restart);
  await until(() => statusOf(page, '开业福利 4 群') === '发放中', 'the group to read 发放中');
  expect(modal).toHaveBeenCalledTimes(1); // restarting needs no confirmation
  expect(await groupGet('member-0002')).toMatchObject({
    ok: true,
    data: { name: '开业福利 4 群' },
  });
});

test("the form's problems are shown beside the fields: its own checks, then the server's", async () => {
  backend.actAs(OWNER);
  const page = await openGroups();

  type(page, '.grps-form__capacity', '250');
  await tap(page.querySelector('.grps-form__submit'));
  expect(text(page, '.grps-error--name')).toBe('请填写群名称');
  expect(text(page, '.grps-error--image')).toBe('请选择群二维码图片');
  expect(text(page, '.grps-error--capacity')).toBe('人数上限需为 1–200 的整数');
  expect(actions()).not.toContain('groups.upsert');

  // a QR that would live ten days: WeChat's are good for seven, the server says so
  pickerAnswers('qr.jpg');
  await tap(page.querySelector('.grps-image'));
  type(page, '.grps-form__name', '开业福利 5 群');
  type(page, '.grps-form__capacity', '150');
  const tenDays = formatDate(new Date(Date.now() + 10 * DAY).toISOString());
  page.querySelector('.grps-when__date')?.dispatchEvent('change', { detail: { value: tenDays } });
  await flushMicrotasks();
  expect(text(page, '.grps-when__date')).toBe(tenDays);
  expect(page.querySelector('.grps-error--name')).toBeUndefined();

  await tap(page.querySelector('.grps-form__submit'));
  await until(() => !!page.querySelector('.grps-error--expiresAt'), 'the expiry problem');
  expect(text(page, '.grps-error--expiresAt')).toBe(
    '微信群二维码最长有效 7 天，请填写二维码上显示的到期时间',
  );
  expect(classesOf(page.querySelector('.grps-error--expiresAt'))).toContain('error-text');
  expect(names(page)).not.toContain('开业福利 5 群');
  expect((await groupDocs()).map((g) => g.name)).not.toContain('开业福利 5 群');
});

test('staff and visitors cannot manage the pool', async () => {
  backend.actAs('demo-staff');
  const staffPage = await openGroups();
  expect(text(staffPage, '.admin-refusal__title')).toBe('群活码由活动负责人管理');
  expect(staffPage.querySelector('.grps-form')).toBeUndefined();

  backend.actAs('visitor-0001');
  const visitorPage = await openGroups();
  expect(text(visitorPage, '.admin-refusal__title')).toBe('此页面仅限活动运营人员使用');
  expect(visitorPage.querySelector('.grps-group')).toBeUndefined();
  expect(actions()).toEqual(['admin.whoami', 'admin.whoami']);
});
