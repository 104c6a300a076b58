/**
 * Types for two of mingo's subpath exports, which this project's `moduleResolution: node` cannot
 * resolve (Node, esbuild and jest do, from the package's `exports`). The emulator uses mingo's own
 * Query and updater directly: the package's top-level wrappers build a fresh copy of every
 * operator table for each query and each update (see store.ts `queryOptions`).
 */
declare module 'mingo/query' {
  export { Query } from 'mingo';
}

declare module 'mingo/updater' {
  /** Applies update operators to `obj` in place; answers the paths it changed. */
  export function update(
    obj: object,
    modifier: Record<string, unknown>,
    arrayFilters?: unknown[],
    condition?: Record<string, unknown>,
    options?: { cloneMode?: 'deep' | 'copy' | 'none'; queryOptions?: unknown },
  ): string[];
}
