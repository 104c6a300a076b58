/**
 * Reading a Mini Program code the way a phone's camera would: the emulator's stand-in for
 * `wxacode.getUnlimited` draws a QR symbol into an unfiltered RGBA PNG; this decodes the PNG
 * (enough of a decoder for those images) and reads the symbol with jsQR.
 */
import jsQR from 'jsqr';
import { inflateSync } from 'node:zlib';
import type { Emulator } from '../../emulator/emulator';

export function decodeQrPng(png: Buffer): string {
  if (png.subarray(1, 4).toString('ascii') !== 'PNG') throw new Error('not a PNG');
  const width = png.readUInt32BE(16);
  const height = png.readUInt32BE(20);
  const idat: Buffer[] = [];
  for (let at = 8; at < png.length;) {
    const length = png.readUInt32BE(at);
    if (png.toString('ascii', at + 4, at + 8) === 'IDAT') {
      idat.push(png.subarray(at + 8, at + 8 + length));
    }
    at += 12 + length;
  }
  const raw = inflateSync(Buffer.concat(idat));
  const rowBytes = 1 + width * 4;
  const rgba = new Uint8ClampedArray(width * height * 4);
  for (let y = 0; y < height; y++) {
    if (raw[y * rowBytes] !== 0) throw new Error('a filtered PNG: not one the emulator draws');
    rgba.set(raw.subarray(y * rowBytes + 1, (y + 1) * rowBytes), y * width * 4);
  }
  const code = jsQR(rgba, width, height);
  if (!code) throw new Error('no QR code in the image');
  return code.data;
}

/** The stored image behind a cloud fileID, decoded: what scanning it opens. */
export async function scanStoredCode(emulator: Emulator, fileID: string): Promise<string> {
  const cloudPath = /^cloud:\/\/[^/]+\/(.+)$/.exec(fileID)?.[1];
  if (!cloudPath) throw new Error(`not a cloud fileID: ${fileID}`);
  const bytes = await emulator.sdk.readStoredFile(cloudPath);
  if (!bytes) throw new Error(`nothing stored at ${cloudPath}`);
  return decodeQrPng(bytes);
}

/**
 * `pages/landing/index?scene=K7PX2M9Q.share` → the page and its query as WeChat hands them to the
 * page's onLoad: values still URI-encoded (the page decodes the scene itself).
 */
export function openedBy(scanned: string): { page: string; query: Record<string, string> } {
  const [page, search = ''] = scanned.split('?');
  const query: Record<string, string> = {};
  for (const pair of search.split('&').filter(Boolean)) {
    const at = pair.indexOf('=');
    query[at < 0 ? pair : pair.slice(0, at)] = at < 0 ? '' : pair.slice(at + 1);
  }
  return { page, query };
}
