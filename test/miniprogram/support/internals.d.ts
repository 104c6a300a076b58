// The two internals of miniprogram-simulate 1.6 / j-component 1.4 the harness hooks into.
// Both versions are pinned in package.json: revisit this file when upgrading either.

declare module 'miniprogram-simulate/src/utils' {
  const utils: {
    /** Runs a component's script; simulate's loader calls it through this object. */
    runJs: (filePath: string) => void;
  };
  export = utils;
}

declare module 'j-component/src/tool/selectorquery' {
  namespace SelectorQuery {
    interface ExparserNode {
      /** the component id: 'canvas', 'view'… */
      is?: string;
      /** the node as written in the template */
      _vt?: { attrs: Array<{ name: string; value: unknown }> };
      shadowRoot: {
        querySelector(selector: string): ExparserNode | null;
        querySelectorAll(selector: string): ExparserNode[];
      };
    }
    interface QueuedQuery {
      selector: string;
      /** 0 for selectViewport() */
      exparserNode: ExparserNode | 0 | null;
      isSelectSingle: boolean;
      fields: Record<string, unknown>;
    }
    type Answer = Record<string, unknown> | null;
  }
  class SelectorQuery {
    _queue: SelectorQuery.QueuedQuery[];
    _queueCallback: Array<((answer: SelectorQuery.Answer | SelectorQuery.Answer[]) => void) | null>;
    exec(callback?: (answers: Array<SelectorQuery.Answer | SelectorQuery.Answer[]>) => void): void;
  }
  export = SelectorQuery;
}
