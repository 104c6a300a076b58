import {
  addPayload,
  payloadBytes,
  probeSetData,
  type SetDataSizes,
} from '../../preview/runtime/set-data';

/** Performance (issue 14): what the preview and the page tests measure of every setData. */
describe('setData payloads', () => {
  it('are the bytes of their JSON, as they cross to the view layer', () => {
    expect(payloadBytes({ a: 1 })).toBe('{"a":1}'.length);
    // Chinese text is three bytes a character
    expect(payloadBytes({ t: '领取' })).toBe('{"t":""}'.length + 6);
    expect(payloadBytes({ skipped: undefined })).toBe(2);
  });

  it('are measured before they are applied, and the largest kept per module', () => {
    const applied: unknown[] = [];
    const instance = {
      setData(data: Record<string, unknown>) {
        applied.push(data);
      },
    };
    const sizes: SetDataSizes = {};
    probeSetData(instance, (bytes) => addPayload(sizes, 'pages/x/index', bytes));
    instance.setData({ list: Array.from({ length: 100 }, (_, i) => i) });
    instance.setData({ a: 1 });
    expect(applied).toHaveLength(2);
    expect(sizes['pages/x/index']).toEqual({
      largest: payloadBytes({ list: Array.from({ length: 100 }, (_, i) => i) }),
      calls: 2,
    });
  });
});
