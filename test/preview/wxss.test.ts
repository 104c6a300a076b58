/**
 * WXSS as the preview's phone frame applies it (preview/wxss.ts): rpx at the frame's width,
 * built-in tags as the elements the preview renders, classes in their component's scope.
 */
import {
  rpxToPx,
  translateMediaQuery,
  translateRpx,
  translateSelector,
  translateWxss,
  type WxssOptions,
} from '../../preview/wxss';

const phone: WxssOptions = { windowWidth: 375, safeArea: { bottom: 34 } };

describe('rpx', () => {
  it('scales 750rpx to the window width, rounding down as the base library does', () => {
    expect(rpxToPx(750, 375)).toBe(375);
    expect(rpxToPx(30, 375)).toBe(15);
    expect(rpxToPx(5, 375)).toBe(2);
    expect(rpxToPx(0, 375)).toBe(0);
  });

  it('keeps a non-zero hairline visible', () => {
    expect(rpxToPx(1, 375)).toBe(0.5);
    expect(rpxToPx(2, 375)).toBe(1);
  });

  it('converts every rpx in a value, negative and decimal ones too, and nothing else', () => {
    expect(translateRpx('0 8rpx 24rpx rgba(47, 61, 50, 0.08)', 375)).toBe(
      '0 4px 12px rgba(47, 61, 50, 0.08)',
    );
    expect(translateRpx('top: -12rpx; width: 600.6rpx', 375)).toBe('top: -6px; width: 300px');
    expect(translateRpx('calc(160rpx + 10px)', 375)).toBe('calc(80px + 10px)');
  });
});

describe('selectors', () => {
  it('maps built-in tags to the elements the preview renders, and page to wx-page', () => {
    expect(translateSelector('page', phone)).toBe('wx-page');
    expect(translateSelector('view > text, button image', phone)).toBe(
      'wx-view > wx-text, wx-button wx-image',
    );
    expect(translateSelector("button:not([size='mini'])", phone)).toBe(
      "wx-button:not([size='mini'])",
    );
  });

  it('leaves classes, ids, attributes, pseudo-elements and unknown tags alone in the global scope', () => {
    expect(translateSelector('.btn::after', phone)).toBe('.btn::after');
    expect(translateSelector('.card .card__title#x[data-a="view"]', phone)).toBe(
      '.card .card__title#x[data-a="view"]',
    );
    expect(translateSelector('.a:nth-child(2n+1)', phone)).toBe('.a:nth-child(2n+1)');
    expect(translateSelector('div', phone)).toBe('div');
  });

  it('puts classes in an isolated component scope, inside :not() too', () => {
    const scoped = { ...phone, classPrefix: 's1', hostSelector: 'countdown' };
    expect(translateSelector('.countdown__time.num', scoped)).toBe('.s1--countdown__time.s1--num');
    expect(translateSelector('view:not(.off)', scoped)).toBe('wx-view:not(.s1--off)');
    expect(translateSelector(':host', scoped)).toBe('countdown');
    expect(translateSelector(':host(.big) .a', scoped)).toBe('countdown.s1--big .s1--a');
  });
});

describe('stylesheets', () => {
  it('translates rules, values and safe-area insets, dropping comments', () => {
    const css = translateWxss(
      `/* tokens */
page { --space-4: 32rpx; font-size: 30rpx; }
.footer { padding-bottom: calc(16rpx + env(safe-area-inset-bottom)); }
.legacy { padding-bottom: constant(safe-area-inset-bottom); }`,
      phone,
    );
    expect(css).toContain('wx-page {');
    expect(css).toContain('--space-4: 16px; font-size: 15px;');
    expect(css).toContain('padding-bottom: calc(8px + 34px)');
    expect(css).toContain('.legacy { padding-bottom: 34px; }');
    expect(css).not.toContain('tokens');
  });

  it('keeps keyframe selectors and decides width media queries against the frame', () => {
    const css = translateWxss(
      `@keyframes sheen { 0% { left: -60%; } 45%, 100% { left: 130%; } }
@media (max-width: 340px) { .a { width: 100rpx; } }
@media (min-width: 320px) { view { margin: 10rpx; } }`,
      phone,
    );
    expect(css).toContain('@keyframes sheen {');
    expect(css).toContain('0% { left: -60%; }');
    expect(css).toContain('45%, 100% { left: 130%; }');
    expect(css).toContain('@media (max-width: 0px) {');
    expect(css).toContain('.a { width: 50px; }');
    expect(css).toContain('@media (min-width: 0px) {');
    expect(css).toContain('wx-view { margin: 5px; }');
  });

  it('decides each width feature on its own', () => {
    expect(translateMediaQuery('@media (min-width: 400px) and (max-width: 800rpx)', phone)).toBe(
      '@media (max-width: 0px) and (min-width: 0px)',
    );
  });

  it('reads past braces inside strings', () => {
    const css = translateWxss(`.q::before { content: "{ 10rpx }"; margin: 10rpx; }`, phone);
    expect(css).toContain('content: "{ 5px }"');
    expect(css).toContain('margin: 5px;');
  });
});
