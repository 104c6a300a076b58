/**
 * What `wx.scanCode` can "see" in the preview: the QR codes this browser has shown. Whenever a
 * page is left (another page covers it, the user is switched, the preview reloads) and when a
 * scan starts, the canvases on screen are read back and decoded (jsQR); the texts found are kept
 * in localStorage with who showed them. So a coupon's QR shown as the customer can be scanned as
 * the staff member a moment later, in the same browser — and the decode also proves the drawn QR
 * really carries the token.
 */
import jsQR from 'jsqr';
import { canvasesOnScreen } from './builtins';

export interface SeenQr {
  text: string;
  label: string;
  at: number;
}

const KEY = 'growth-kit-preview:qr-codes';
const MAX = 8;

export function seenQrCodes(): SeenQr[] {
  try {
    const list = JSON.parse(localStorage.getItem(KEY) ?? '[]') as SeenQr[];
    return Array.isArray(list) ? list : [];
  } catch {
    return [];
  }
}

/** Decodes the QR codes on the canvases now on screen and remembers them under `label`. */
export function rememberQrCodes(label: string): string[] {
  const found: string[] = [];
  for (const canvas of canvasesOnScreen()) {
    if (!canvas.width || !canvas.height) continue;
    try {
      const context = canvas.getContext('2d');
      if (!context) continue;
      const image = context.getImageData(0, 0, canvas.width, canvas.height);
      const code = jsQR(image.data, image.width, image.height, { inversionAttempts: 'dontInvert' });
      if (code?.data) found.push(code.data);
    } catch {
      // a tainted or lost canvas: nothing to read
    }
  }
  if (found.length) {
    const now = Date.now();
    const list = seenQrCodes().filter((seen) => !found.includes(seen.text));
    const next = [...found.map((text) => ({ text, label, at: now })), ...list].slice(0, MAX);
    try {
      localStorage.setItem(KEY, JSON.stringify(next));
    } catch {
      // storage full or disabled: the scan dialog still takes pasted text
    }
  }
  return found;
}
