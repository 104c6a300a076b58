/**
 * Performance (issue 14): how much each page and component hands to `setData`. WeChat serialises
 * every payload for the view layer (its JSON), warns at 256 KB and is slow well before; this
 * project's budget is 64 KB a call. The preview and the page tests (test/miniprogram/support)
 * wrap each instance's `setData` with `probeSetData` and keep the largest payload per module.
 */
export interface SetDataSize {
  /** the largest payload, in bytes of its JSON (UTF-8) */
  largest: number;
  calls: number;
}

/** Module path (`pages/landing/index`) → its payloads. */
export type SetDataSizes = Record<string, SetDataSize>;

const encoder = new TextEncoder();

/** A payload's size as it crosses to the view layer: the bytes of its JSON. */
export function payloadBytes(data: unknown): number {
  return encoder.encode(JSON.stringify(data ?? {})).length;
}

/** Adds one payload of `path` to `sizes`. */
export function addPayload(sizes: SetDataSizes, path: string, bytes: number): void {
  const size = (sizes[path] ??= { largest: 0, calls: 0 });
  size.largest = Math.max(size.largest, bytes);
  size.calls++;
}

type WithSetData = { setData(data: Record<string, unknown>, callback?: () => void): void };

/** Wraps `instance.setData` so that every payload is measured before it is applied. */
export function probeSetData(instance: WithSetData, measured: (bytes: number) => void): void {
  const setData = instance.setData;
  instance.setData = function probed(this: unknown, data, callback) {
    measured(payloadBytes(data));
    return setData.call(this, data, callback);
  };
}
