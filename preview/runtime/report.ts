import { addPayload, type SetDataSizes } from './set-data';

/**
 * What the preview tells the developer: errors (a page's script threw, a template failed to
 * compile, a handler rejected) and the cloud calls made. The chrome listens and shows them; the
 * runtime's parts only report.
 */
export interface PreviewError {
  /** where it happened: a page route, 'wxml', 'typescript', 'runtime'… */
  where: string;
  message: string;
  stack?: string;
  at: number;
  /** the page it belongs to shows it already */
  onPage?: boolean;
}

export interface CallRecord {
  name: string;
  action: string;
  openid: string;
  ms: number;
  /** 'ok', an error code of the envelope, or 'HTTP <status>' */
  outcome: string;
}

type Listener<T> = (value: T) => void;

// Performance (issue 14) ---------------------------------------------------------------------

/** Kept in the tab's sessionStorage, so a walk that relaunches the preview adds up its pages. */
const SET_DATA_KEY = 'preview:set-data';

/** The largest setData payload of each page and component since the tab opened. */
export function setDataSizes(): SetDataSizes {
  try {
    return JSON.parse(sessionStorage.getItem(SET_DATA_KEY) ?? '{}') as SetDataSizes;
  } catch {
    return {};
  }
}

export function recordSetData(path: string, bytes: number): void {
  const sizes = setDataSizes();
  addPayload(sizes, path, bytes);
  try {
    sessionStorage.setItem(SET_DATA_KEY, JSON.stringify(sizes));
  } catch {
    // storage full or refused: the figures are lost, the page is not
  }
}

const errorListeners: Array<Listener<PreviewError>> = [];
const callListeners: Array<Listener<CallRecord>> = [];
const errors: PreviewError[] = [];

export function onError(listener: Listener<PreviewError>): void {
  errorListeners.push(listener);
  errors.forEach(listener);
}

export function onCall(listener: Listener<CallRecord>): void {
  callListeners.push(listener);
}

export function reportError(
  where: string,
  error: unknown,
  options: { onPage?: boolean } = {},
): PreviewError {
  const entry: PreviewError = { where, ...describe(error), at: Date.now(), ...options };
  errors.push(entry);
  console.error(`[preview] ${where}:`, error);
  errorListeners.forEach((listener) => listener(entry));
  return entry;
}

export function reportCall(call: CallRecord): void {
  callListeners.forEach((listener) => listener(call));
}

/** Errors reported so far (the e2e test asserts there are none). */
export function reportedErrors(): readonly PreviewError[] {
  return errors;
}

export function describe(error: unknown): { message: string; stack?: string } {
  if (error instanceof Error) return { message: error.message || error.name, stack: error.stack };
  if (error && typeof error === 'object') {
    const { errMsg, message } = error as { errMsg?: unknown; message?: unknown };
    if (typeof errMsg === 'string') return { message: errMsg };
    if (typeof message === 'string') return { message };
    try {
      return { message: JSON.stringify(error) };
    } catch {
      return { message: String(error) };
    }
  }
  return { message: String(error) };
}
