/**
 * The preview's controls beside the phone: who you are (fresh visitor, a user from before,
 * demo-admin), opening a page "as if scanned" (`inv`, `ch`, `scene`), the page stack and its
 * actions (back, pull-down refresh, share), the last share and a button to open it as a new
 * visitor (walk an invite chain by hand), the emulated clock, errors, and the cloud calls made.
 * Rewards (issue 12): the subscribe messages the emulated WeChat delivered (to anyone), and a
 * button that runs the hourly job (reminders of expiring coupons come from it).
 */
import { append, clear, h } from './dom';
import { freshOpenid, knownUsers, launchUrl, SEEDED_USERS, type KnownUser } from './identity';
import type { CallRecord, PreviewError } from './report';
import type { PageRecord, ShareContent } from './router';

export interface PanelActions {
  back(): void;
  refresh(): void;
  share(): void;
  relaunch(): void;
  advanceClock(ms: number): Promise<string>;
  readClock(): Promise<string>;
  // Rewards (issue 12)
  readMessages(): Promise<PanelMessage[]>;
  /** runs `cron` as its timer would; answers a line saying what it did */
  runCron(): Promise<string>;
}

/** A subscribe message as the panel lists it. */
export interface PanelMessage {
  id: string;
  /** the event's name (好友领取进度), or the template id */
  name: string;
  touser: string;
  page: string;
  sentAt: string;
  fields: Array<[string, string]>;
}

export interface Panel {
  readonly element: HTMLElement;
  setUser(user: KnownUser): void;
  setStack(stack: readonly PageRecord[], titleOf: (record: PageRecord) => string): void;
  showShare(share: ShareContent): void;
  addError(error: PreviewError): void;
  addCall(call: CallRecord): void;
  setPages(pages: string[]): void;
  /** reads the delivered messages again (after a call, a cron run) */
  refreshMessages(): Promise<void>;
}

function go(url: string): void {
  window.location.assign(url);
}

export function createPanel(actions: PanelActions): Panel {
  let user: KnownUser = { openid: '', label: '', lastSeen: 0 };
  let pages: string[] = [];

  // --- identity ---
  const who = h('div', { className: 'pv-who', 'data-testid': 'current-user' });
  const userSelect = h('select', { className: 'pv-input', 'aria-label': '切换到以前的用户' });
  userSelect.addEventListener('change', () => {
    if (userSelect.value) go(launchUrl({ openid: userSelect.value, path: currentPath() }));
  });
  const identity = section(
    '身份',
    who,
    h(
      'div',
      { className: 'pv-row' },
      h(
        'button',
        {
          className: 'pv-button pv-button--primary',
          'data-testid': 'fresh-visitor',
          onclick: () => go(launchUrl({ openid: freshOpenid(), path: firstPage() })),
        },
        '新访客',
      ),
      ...SEEDED_USERS.map((seeded) =>
        h(
          'button',
          {
            className: 'pv-button',
            onclick: () => go(launchUrl({ openid: seeded.openid, path: adminHome(seeded.openid) })),
          },
          seeded.openid,
        ),
      ),
    ),
    userSelect,
  );

  // --- open as scanned ---
  const pageSelect = h('select', { className: 'pv-input', 'aria-label': '页面' });
  const invInput = h('input', {
    className: 'pv-input',
    placeholder: 'inv 邀请码',
    'aria-label': 'inv',
  });
  const chInput = h('input', { className: 'pv-input', placeholder: 'ch 渠道', 'aria-label': 'ch' });
  const sceneInput = h('input', {
    className: 'pv-input',
    placeholder: 'scene（小程序码）',
    'aria-label': 'scene',
  });
  const asNew = h('input', { type: 'checkbox' });
  asNew.checked = true;
  const openScanned = () => {
    const query = new URLSearchParams();
    if (invInput.value.trim()) query.set('inv', invInput.value.trim());
    if (chInput.value.trim()) query.set('ch', chInput.value.trim());
    if (sceneInput.value.trim()) query.set('scene', sceneInput.value.trim());
    go(
      launchUrl({
        openid: asNew.checked ? freshOpenid() : user.openid,
        path: pageSelect.value,
        query: query.toString(),
      }),
    );
  };
  const scanned = section(
    '扫码打开',
    pageSelect,
    h('div', { className: 'pv-row' }, invInput, chInput),
    sceneInput,
    h('label', { className: 'pv-check' }, asNew, '作为新访客（新的 openid）'),
    h(
      'div',
      { className: 'pv-row' },
      h('button', { className: 'pv-button pv-button--primary', onclick: openScanned }, '打开'),
      h(
        'button',
        {
          className: 'pv-button',
          title: '好友通过我的分享进入',
          onclick: () => {
            if (!user.inviteCode) return;
            invInput.value = user.inviteCode;
            chInput.value = 'share';
            sceneInput.value = '';
            asNew.checked = true;
            openScanned();
          },
        },
        '好友用我的邀请码进入',
      ),
    ),
  );

  // --- page ---
  const stackList = h('ol', { className: 'pv-stack', 'data-testid': 'stack' });
  const pageSection = section(
    '页面栈',
    stackList,
    h(
      'div',
      { className: 'pv-row' },
      h('button', { className: 'pv-button', onclick: () => actions.back() }, '返回'),
      h('button', { className: 'pv-button', onclick: () => actions.refresh() }, '下拉刷新'),
      h(
        'button',
        { className: 'pv-button', 'data-testid': 'share-menu', onclick: () => actions.share() },
        '分享给好友',
      ),
      h('button', { className: 'pv-button', onclick: () => actions.relaunch() }, '重新进入'),
    ),
  );

  // --- share ---
  const shareBox = h('div', { className: 'pv-share', 'data-testid': 'share' }, '还没有分享');
  const shareSection = section('最近的分享', shareBox);

  // --- clock ---
  const clockText = h('span', { className: 'pv-clock', 'data-testid': 'clock' }, '…');
  const advance = (ms: number, label: string) =>
    h(
      'button',
      {
        className: 'pv-button',
        onclick: () => {
          void actions.advanceClock(ms).then((now) => (clockText.textContent = now));
        },
      },
      label,
    );
  const clockSection = section(
    '模拟器时钟',
    clockText,
    h('div', { className: 'pv-row' }, advance(3_600_000, '+1 小时'), advance(86_400_000, '+1 天')),
  );
  void actions
    .readClock()
    .then((now) => (clockText.textContent = now))
    .catch(() => undefined);

  // --- subscribe messages (Rewards, issue 12) ---
  const messageCount = h('span', { className: 'pv-count' }, '0');
  const messageList = h('ol', { className: 'pv-messages', 'data-testid': 'messages' });
  const cronText = h('span', { className: 'pv-clock', 'data-testid': 'cron' }, '');
  const nameOf = (openid: string) =>
    [...SEEDED_USERS, ...knownUsers()].find((u) => u.openid === openid)?.label ?? openid;
  const showMessages = (messages: PanelMessage[]) => {
    messageCount.textContent = String(messages.length);
    clear(messageList);
    append(
      messageList,
      [...messages]
        .reverse()
        .map((message) =>
          h(
            'li',
            { 'data-testid': 'message' },
            h('strong', {}, `${message.name} → ${nameOf(message.touser)}`),
            h('span', {}, `${message.sentAt} · ${message.page || '（无页面）'}`),
            ...message.fields.map(([key, value]) =>
              h('span', { className: 'pv-messages__field' }, h('code', {}, key), ` ${value}`),
            ),
          ),
        ),
    );
    if (messages.length === 0) append(messageList, h('li', {}, '还没有发出订阅消息'));
  };
  const refreshMessages = () =>
    actions
      .readMessages()
      .then(showMessages)
      .catch(() => undefined);
  const messageSection = section(
    h('span', {}, '订阅消息 ', messageCount),
    h(
      'div',
      { className: 'pv-row' },
      h(
        'button',
        {
          className: 'pv-button',
          'data-testid': 'run-cron',
          title: '定时任务每小时运行：到期提醒、群池告警、修复',
          onclick: () => {
            void actions
              .runCron()
              .then((line) => (cronText.textContent = line))
              .then(refreshMessages);
          },
        },
        '运行定时任务',
      ),
      h('button', { className: 'pv-button', onclick: () => void refreshMessages() }, '刷新'),
    ),
    cronText,
    messageList,
  );

  // --- errors and calls ---
  const errorCount = h('span', { className: 'pv-count' }, '0');
  const errorList = h('ol', { className: 'pv-errors', 'data-testid': 'errors' });
  const errorSection = section(h('span', {}, '错误 ', errorCount), errorList);
  const callList = h('ol', { className: 'pv-calls', 'data-testid': 'calls' });
  const callSection = section('云函数调用', callList);

  const element = h(
    'aside',
    { className: 'pv-panel' },
    h('h1', { className: 'pv-panel__title' }, 'Growth Kit · 小程序预览'),
    h(
      'p',
      { className: 'pv-panel__note' },
      '真实页面（WXML、WXSS、TypeScript）在浏览器里渲染，调用本机模拟器。',
    ),
    identity,
    scanned,
    pageSection,
    shareSection,
    clockSection,
    messageSection,
    errorSection,
    callSection,
  );

  function currentPath(): string {
    return new URLSearchParams(window.location.search).get('path') ?? firstPage();
  }
  function firstPage(): string {
    return pages[0] ?? '';
  }
  function adminHome(openid: string): string {
    const admin = pages.find((p) => p.includes(openid === 'demo-staff' ? 'redeem' : 'dashboard'));
    return admin ?? firstPage();
  }

  return {
    element,

    setUser(next) {
      user = next;
      clear(who);
      append(
        who,
        h('strong', {}, next.label),
        h('code', {}, next.openid),
        next.inviteCode ? h('span', { className: 'pv-tag' }, `邀请码 ${next.inviteCode}`) : null,
      );
      clear(userSelect);
      append(
        userSelect,
        h('option', { value: '' }, '切换到以前的用户…'),
        knownUsers().map((known) =>
          h(
            'option',
            { value: known.openid, selected: known.openid === next.openid },
            `${known.label}${known.inviteCode ? ` · ${known.inviteCode}` : ''}`,
          ),
        ),
      );
    },

    setPages(list) {
      pages = list;
      clear(pageSelect);
      append(
        pageSelect,
        list.map((route) => h('option', { value: route }, route)),
      );
    },

    setStack(stack, titleOf) {
      clear(stackList);
      append(
        stackList,
        stack.map((record) => {
          const search = new URLSearchParams(record.query).toString();
          return h(
            'li',
            {},
            h('strong', {}, titleOf(record) || record.route),
            h('code', {}, `${record.route}${search ? `?${search}` : ''}`),
          );
        }),
      );
    },

    showShare(share) {
      const [path, search = ''] = share.path.replace(/^\//, '').split('?');
      clear(shareBox);
      append(
        shareBox,
        h('strong', {}, share.title),
        h('code', {}, share.path),
        h(
          'button',
          {
            className: 'pv-button pv-button--primary',
            'data-testid': 'open-share',
            onclick: () => go(launchUrl({ openid: freshOpenid(), path, query: search })),
          },
          '以新访客打开这个分享',
        ),
      );
    },

    addError(error) {
      errorCount.textContent = String(errorList.children.length + 1);
      element.classList.add('pv-panel--errors');
      append(
        errorList,
        h(
          'li',
          {},
          h('strong', {}, error.where),
          h('span', {}, error.message),
          error.stack ? h('pre', {}, error.stack) : null,
        ),
      );
    },

    refreshMessages,

    addCall(call) {
      const item = h(
        'li',
        { className: call.outcome === 'ok' ? '' : 'pv-calls__fail' },
        h('code', {}, `${call.name}${call.action ? ` ${call.action}` : ''}`),
        h('span', {}, `${call.outcome} · ${call.ms} ms`),
      );
      callList.insertBefore(item, callList.firstChild);
      while (callList.children.length > 40) callList.lastChild?.remove();
    },
  };
}

function section(title: string | Node, ...children: Node[]): HTMLElement {
  return h(
    'section',
    { className: 'pv-section' },
    h('h2', { className: 'pv-section__title' }, title),
    ...children,
  );
}
