/**
 * Display formatting. Dates are shown in Asia/Shanghai whatever zone the phone is set to:
 * China has no daylight saving, so a fixed +8 h offset is exact and needs no zone database.
 */

const SHANGHAI_OFFSET_MS = 8 * 3600 * 1000;

const pad2 = (n: number): string => (n < 10 ? `0${n}` : String(n));

/** Fen → `¥12`, `¥12.5`, `¥0.05`: no trailing zeros, as prices read on a menu. */
export function formatFen(fen: number): string {
  const rounded = Math.round(fen);
  const sign = rounded < 0 ? '-' : '';
  const abs = Math.abs(rounded);
  const yuan = Math.floor(abs / 100);
  const cents = abs % 100;
  if (cents === 0) return `${sign}¥${yuan}`;
  if (cents % 10 === 0) return `${sign}¥${yuan}.${cents / 10}`;
  return `${sign}¥${yuan}.${pad2(cents)}`;
}

/** Fen → yuan without the symbol, for labels like 满50减10. */
export function fenToYuan(fen: number): string {
  return formatFen(fen).replace('¥', '');
}

/** The wall-clock fields in Shanghai of an ISO instant, or null when it cannot be read. */
function shanghaiFields(iso: string): Date | null {
  const ms = Date.parse(iso);
  // read the shifted instant with the UTC getters: independent of the phone's zone
  return Number.isFinite(ms) ? new Date(ms + SHANGHAI_OFFSET_MS) : null;
}

/** `03-09 14:05` in Shanghai time; empty for an unreadable instant. */
export function formatDateTime(iso: string): string {
  const d = shanghaiFields(iso);
  if (!d) return '';
  return `${pad2(d.getUTCMonth() + 1)}-${pad2(d.getUTCDate())} ${pad2(d.getUTCHours())}:${pad2(d.getUTCMinutes())}`;
}

/** `14:05:09` in Shanghai time; empty for an unreadable instant (People console, issue 13). */
export function formatClock(iso: string): string {
  const d = shanghaiFields(iso);
  if (!d) return '';
  return `${pad2(d.getUTCHours())}:${pad2(d.getUTCMinutes())}:${pad2(d.getUTCSeconds())}`;
}

/** `2025-03-09` in Shanghai time; empty for an unreadable instant. */
export function formatDate(iso: string): string {
  const d = shanghaiFields(iso);
  if (!d) return '';
  return `${d.getUTCFullYear()}-${pad2(d.getUTCMonth() + 1)}-${pad2(d.getUTCDate())}`;
}

/** 12345 → `12,345`: toLocaleString is not reliable in the Mini Program's JS engines. */
export function formatCount(n: number): string {
  const sign = n < 0 ? '-' : '';
  return sign + String(Math.round(Math.abs(n))).replace(/\B(?=(\d{3})+(?!\d))/g, ',');
}

export interface CouponTerms {
  kind: 'discount' | 'cash';
  /** 0.8 = 8折 */
  rate?: number;
  /** fen */
  threshold?: number;
  /** fen */
  amount?: number;
}

/** `8折`, `8.5折`, `满50减10`, `立减10元`: the server sends a label, this builds one if it does not. */
export function couponLabel(terms: CouponTerms): string {
  if (terms.kind === 'discount') {
    const tenths = Math.round((terms.rate ?? 1) * 100) / 10;
    return `${tenths}折`;
  }
  const amount = fenToYuan(terms.amount ?? 0);
  return terms.threshold ? `满${fenToYuan(terms.threshold)}减${amount}` : `立减${amount}元`;
}

export type CouponStatusName = 'available' | 'redeemed' | 'expired';

const STATUS_TEXT: Record<CouponStatusName, string> = {
  available: '可使用',
  redeemed: '已使用',
  expired: '已过期',
};

export function couponStatusText(status: CouponStatusName): string {
  return STATUS_TEXT[status];
}
