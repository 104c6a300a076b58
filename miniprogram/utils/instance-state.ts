/**
 * State that belongs to one page or component instance but not in its `data` (flags, timers,
 * request ids): `data` is copied to the view layer on every setData. Kept beside the instance
 * in a WeakMap, made on first use, gone with the instance.
 */
export function instanceState<T>(create: () => T): (instance: object) => T {
  const states = new WeakMap<object, T>();
  return (instance) => {
    if (!states.has(instance)) states.set(instance, create());
    return states.get(instance) as T;
  };
}
