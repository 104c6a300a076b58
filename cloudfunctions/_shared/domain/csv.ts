/**
 * CSV for exports (People console, issue 13): RFC 4180 fields and CRLF rows, UTF-8 with a byte
 * order mark so Excel opens Chinese correctly (without it Excel reads the bytes as the system's
 * ANSI code page and shows mojibake).
 *
 * Cells a member typed (a nickname) could start with `=`, `+`, `-` or `@`, which a spreadsheet
 * runs as a formula (CSV injection): such a cell is prefixed with `'`, as OWASP recommends.
 */

export const UTF8_BOM = '\uFEFF';

export type Cell = string | number | boolean | null | undefined;

const FORMULA_START = /^[=+\-@\t\r]/;

export function csvCell(value: Cell): string {
  if (value === null || value === undefined) return '';
  let text = String(value);
  if (typeof value === 'string' && FORMULA_START.test(text)) text = `'${text}`;
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

export function csvRow(cells: readonly Cell[]): string {
  return `${cells.map(csvCell).join(',')}\r\n`;
}
