// The parts of j-component 1.4 and miniprogram-exparser 2.29 the preview runtime builds on.
// Both ship untyped internals (j-component's own index.d.ts pulls in its copy of the 3.x wx
// typings as globals, which clash with the project's 5.x), so they are described here. Both
// versions are pinned in package.json: revisit this file when upgrading either.

declare module 'miniprogram-exparser' {
  namespace exparser {
    /** A node of exparser's tree (component, native node, virtual node or text). */
    interface Node {
      /** the DOM node it renders to */
      $$: globalThis.Element | Text | null;
      parentNode: Node | null;
      childNodes: Node[];
      __wxElement?: Node;
    }
    interface ClassList {
      getPrefix(): string;
    }
    interface Element extends Node {
      id: string;
      dataset: Record<string, unknown>;
      classList?: ClassList;
      /** the component's registered name ('wx-canvas', a component id…) */
      is?: string;
      shadowRoot: Element | null;
      data: Record<string, unknown>;
      _vt?: { attrs: Array<{ name: string; value: unknown }> };
      querySelector(selector: string): Element | null;
      querySelectorAll(selector: string): Element[];
      triggerLifeTime(name: string, args?: unknown[]): void;
      triggerPageLifeTime(name: string, args?: unknown[]): void;
      triggerEvent(name: string, detail?: unknown, options?: Record<string, unknown>): void;
      addListener(name: string, handler: (event: ExparserEvent) => unknown): void;
      hasBehavior(behavior: string): boolean;
    }
    interface ExparserEvent {
      type: string;
      detail: unknown;
      target: unknown;
      currentTarget: unknown;
    }
    interface ErrorInfo {
      message: string;
      type: string;
      element?: Element;
    }
  }
  const exparser: {
    Element: {
      getMethodCaller(node: exparser.Element): Record<string, unknown> & object;
      pretendAttached(node: exparser.Element): void;
      pretendDetached(node: exparser.Element): void;
    };
    Component: {
      new (): exparser.Element;
      prototype: exparser.Element;
    };
    Event: {
      create(name: string, detail: unknown, options: Record<string, unknown>): unknown;
      dispatchEvent(target: globalThis.Node | exparser.Node, event: unknown): void;
    };
    addGlobalErrorListener(
      listener: (error: unknown, info: exparser.ErrorInfo) => boolean | void,
    ): void;
  };
  export = exparser;
}

declare module 'j-component/src/index' {
  import type exparser from 'miniprogram-exparser';

  namespace jComponent {
    interface Definition {
      id?: string;
      path?: string;
      tagName?: string;
      /** WXML source, or a generate function compiled by wcc */
      template?: string | ((data: unknown) => unknown);
      usingComponents?: Record<string, string>;
      options?: Record<string, unknown>;
      [key: string]: unknown;
    }
    interface RootComponent {
      readonly dom: HTMLElement;
      readonly _exparserNode: exparser.Element;
      readonly instance: Record<string, unknown>;
      triggerPageLifeTime(name: string, ...args: unknown[]): void;
    }
  }
  const jComponent: {
    register(definition: jComponent.Definition): string;
    behavior(definition: Record<string, unknown>): string;
    create(id: string, properties?: Record<string, unknown>): jComponent.RootComponent | undefined;
  };
  export = jComponent;
}

declare module 'j-component/src/tool/utils' {
  const utils: {
    /** rpx → px for inline styles; render.js looks it up on this object at each call */
    transformRpx(style: string, keepSpaces?: boolean): string;
  };
  export = utils;
}

declare module 'j-component/src/tool/selectorquery' {
  import type exparser from 'miniprogram-exparser';

  namespace SelectorQuery {
    interface QueuedQuery {
      selector: string;
      /** 0 for selectViewport() */
      exparserNode: exparser.Element | 0 | null;
      isSelectSingle: boolean;
      fields: Record<string, unknown>;
    }
    type Answer = Record<string, unknown> | null;
  }
  class SelectorQuery {
    constructor(component?: { _exparserNode?: exparser.Element } | null);
    _queue: SelectorQuery.QueuedQuery[];
    _queueCallback: Array<((answer: SelectorQuery.Answer | SelectorQuery.Answer[]) => void) | null>;
    exec(callback?: (answers: Array<SelectorQuery.Answer | SelectorQuery.Answer[]>) => void): void;
  }
  export = SelectorQuery;
}

declare module '*.css' {
  const text: string;
  export default text;
}

declare module 'j-component/src/render/render' {
  import type exparser from 'miniprogram-exparser';

  const render: {
    /** applies a node's attributes; diff.js looks it up on this object at each call */
    updateAttrs(node: exparser.Element, attrs: Array<{ name: string; value: unknown }>): void;
  };
  export = render;
}
