/** @jest-environment jsdom */
import { encodeQr } from '../../../miniprogram/utils/qrcode';
import type { CanvasCall, FakeCanvas } from '../support/simulate';
import { canvasOf, flushMicrotasks, mount, textOf } from '../support/simulate';

const TOKEN = 'gk1.cpn_8f3a9c.1767225600.Zm9vYmFyYmF6cXV4';

/** Reads the QR back from the last drawing: which module centres did a dark rectangle cover. */
function drawnModules(canvas: FakeCanvas, count: number): boolean[][] {
  const calls = canvas.calls;
  const background = calls.map(
    (c) => c.method === 'fillRect' && c.args[0] === 0 && c.args[2] === canvas.width,
  );
  const last = background.lastIndexOf(true);
  const dark = calls.slice(last + 1).filter((c: CanvasCall) => c.method === 'fillRect') as Array<
    CanvasCall & { args: number[] }
  >;
  const cell = canvas.width / (count + 4); // a 2-module quiet zone each side
  const covered = (x: number, y: number) =>
    dark.some(({ args: [rx, ry, w, h] }) => x >= rx && x < rx + w && y >= ry && y < ry + h);
  return Array.from({ length: count }, (_, r) =>
    Array.from({ length: count }, (_, c) => covered((c + 2.5) * cell, (r + 2.5) * cell)),
  );
}

async function qr(props: Record<string, unknown>) {
  const comp = mount('components/qr-code/index', props);
  await flushMicrotasks(); // the canvas node arrives through a selector query
  const canvas = canvasOf(comp, '#qr');
  if (!canvas) throw new Error('no canvas rendered');
  return { comp, canvas };
}

test('draws the text as a QR code at the device pixel ratio', async () => {
  const { canvas } = await qr({ text: TOKEN, size: 400 });
  const { pixelRatio, windowWidth } = wx.getWindowInfo();
  const side = Math.round(((400 * windowWidth) / 750) * pixelRatio);
  expect(canvas.width).toBe(side);
  expect(canvas.height).toBe(side);
  const { modules } = encodeQr(TOKEN);
  expect(drawnModules(canvas, modules.length)).toEqual(modules);
});

test('redraws when the token is refreshed', async () => {
  const { comp, canvas } = await qr({ text: TOKEN });
  const next = 'gk1.cpn_8f3a9c.1767225660.YmF6cXV4Zm9vYmFy';
  comp.setData({ text: next });
  const { modules } = encodeQr(next);
  expect(drawnModules(canvas, modules.length)).toEqual(modules);
  expect(modules).not.toEqual(encodeQr(TOKEN).modules);
});

test('text too long for a QR code says so instead of drawing', async () => {
  const { comp } = await qr({ text: 'x'.repeat(300) });
  expect(textOf(comp)).toBe('二维码生成失败，请刷新重试');
  comp.setData({ text: TOKEN });
  expect(textOf(comp)).toBe('');
});

test('no text: a blank canvas and no error', async () => {
  const { comp, canvas } = await qr({ text: '' });
  expect(canvas.calls.filter((c) => c.method === 'fillRect')).toHaveLength(0);
  expect(textOf(comp)).toBe('');
});
