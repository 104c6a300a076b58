/** @jest-environment jsdom */
import { attrOf, classesOf, findIn, mount, textOf } from '../support/simulate';

function chart(props: Record<string, unknown>) {
  const comp = mount('components/bar-chart/index', props);
  const rows = () =>
    findIn(comp, 'bar-chart__row').map((row) => ({
      label: textOf(findIn(row, 'bar-chart__label')[0]),
      value: textOf(findIn(row, 'bar-chart__value')[0]),
      hint: textOf(findIn(row, 'bar-chart__hint')[0]),
      width: attrOf(findIn(row, 'bar-chart__bar')[0], 'style'),
    }));
  return { comp, rows };
}

test('bars are scaled to the largest value, with labels, values and hints', () => {
  const { rows } = chart({
    unit: '人',
    items: [
      { label: '访问', value: 12000 },
      { label: '领取', value: 3000, hint: '转化 25%' },
      { label: '抽奖', value: 1 },
      { label: '入群', value: 0 },
    ],
  });
  expect(rows()).toEqual([
    { label: '访问', value: '12,000人', hint: '', width: 'width: 100%' },
    { label: '领取', value: '3,000人', hint: '转化 25%', width: 'width: 25%' },
    // tiny but non-zero stays visible
    { label: '抽奖', value: '1人', hint: '', width: 'width: 1%' },
    { label: '入群', value: '0人', hint: '', width: 'width: 0%' },
  ]);
});

test('all zeros draw no bars; no items say 暂无数据', () => {
  const { rows } = chart({ items: [{ label: 'A', value: 0 }] });
  expect(rows()[0].width).toBe('width: 0%');
  const empty = chart({ items: [] });
  expect(textOf(empty.comp)).toBe('暂无数据');
});

test('follows new items', () => {
  const { comp, rows } = chart({ items: [{ label: 'A', value: 10 }] });
  comp.setData({
    items: [
      { label: 'A', value: 10 },
      { label: 'B', value: 40 },
    ],
  });
  expect(rows().map((r) => r.width)).toEqual(['width: 25%', 'width: 100%']);
});

test('a figure without a bar keeps its own unit and does not set the scale', () => {
  const { comp, rows } = chart({
    items: [
      { label: '访客', value: 40 },
      { label: '抽奖次数', value: 400, unit: ' 次', hint: '人均 20 次', bar: false },
      { label: '参与抽奖', value: 20 },
    ],
  });
  expect(rows()).toEqual([
    { label: '访客', value: '40', hint: '', width: 'width: 100%' },
    { label: '抽奖次数', value: '400 次', hint: '人均 20 次', width: undefined },
    { label: '参与抽奖', value: '20', hint: '', width: 'width: 50%' },
  ]);
  expect(findIn(comp, 'bar-chart__track')).toHaveLength(2);
});

// Retention (issue 15)
test('columns: a figure day by day, labelled under, valued above while few, today highlighted', () => {
  const comp = mount('components/bar-chart/index', {
    layout: 'columns',
    items: [
      { label: '3/4', value: 2 },
      { label: '', value: 8, text: '¥8' },
      { label: '3/6', value: 4, highlight: true },
    ],
  });
  const cols = findIn(comp, 'bar-chart__col').map((col) => ({
    label: textOf(findIn(col, 'bar-chart__col-label')[0]),
    value: textOf(findIn(col, 'bar-chart__col-value')[0]),
    height: attrOf(findIn(col, 'bar-chart__col-bar')[0], 'style'),
    today: classesOf(col).includes('bar-chart__col--highlight'),
  }));
  // the tallest leaves a fifth of the plot for its value
  expect(cols).toEqual([
    { label: '3/4', value: '2', height: 'height: 20%', today: false },
    { label: '', value: '¥8', height: 'height: 80%', today: false },
    { label: '3/6', value: '4', height: 'height: 40%', today: true },
  ]);
  expect(findIn(comp, 'bar-chart__row')).toEqual([]);
  // a month of days: no values written above, they would run into each other
  comp.setData({ items: Array.from({ length: 30 }, (_, i) => ({ label: '', value: i })) });
  expect(findIn(comp, 'bar-chart__col')).toHaveLength(30);
  expect(findIn(comp, 'bar-chart__col-value')).toEqual([]);
});
