import { instanceState } from '../../../miniprogram/utils/instance-state';

describe('instanceState', () => {
  test('makes the state on first use and answers the same object afterwards', () => {
    let made = 0;
    const stateOf = instanceState(() => {
      made += 1;
      return { loading: false };
    });
    const page = {};
    expect(made).toBe(0);

    const first = stateOf(page);
    first.loading = true;
    expect(stateOf(page)).toBe(first);
    expect(stateOf(page)).toEqual({ loading: true });
    expect(made).toBe(1);
  });

  test('keeps each instance its own state', () => {
    const stateOf = instanceState(() => ({ count: 0 }));
    const one = {};
    const other = {};
    stateOf(one).count = 3;
    expect(stateOf(other)).toEqual({ count: 0 });
    expect(stateOf(one)).toEqual({ count: 3 });
  });

  test('keeps a falsy state as made, without making it again', () => {
    let made = 0;
    const stateOf = instanceState(() => {
      made += 1;
      return 0;
    });
    const page = {};
    expect(stateOf(page)).toBe(0);
    expect(stateOf(page)).toBe(0);
    expect(made).toBe(1);
  });
});
