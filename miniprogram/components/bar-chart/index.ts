/**
 * <bar-chart items="{{[{ label: '访问', value: 1200, hint: '100%' }]}}" unit="人" />
 *
 * Horizontal bars scaled to the largest value, each with its label, value and an optional hint
 * (conversion rate, average…). An item with `bar: false` is a figure without a bar and does not
 * count for the scale: the admin dashboard's funnel bars people and lists spins and coupons
 * between them, which would otherwise dwarf the people.
 *
 * `layout="columns"` (Retention, issue 15): vertical columns side by side, for a figure day by
 * day — its label under each column (empty: none), its value above it while there are few
 * enough columns to read them, the `highlight`ed one (today) in the accent colour.
 */
import { formatCount } from '../../utils/format';

export interface BarItem {
  label: string;
  value: number;
  hint?: string;
  /** appended to this value instead of the chart's `unit` */
  unit?: string;
  /** shown instead of the formatted value (money: `¥12.5`) */
  text?: string;
  /** false: shown as a figure, without a bar (default true) */
  bar?: boolean;
  /** columns: drawn in the accent colour (today) */
  highlight?: boolean;
}

/** Columns whose values are written above them; more would run into each other. */
const COLUMN_VALUES_MAX = 7;

function valueText(item: BarItem, value: number, unit: string): string {
  return item.text ?? `${formatCount(value)}${item.unit ?? unit}`;
}

function chartView(items: BarItem[] | null, unit: string) {
  const list = Array.isArray(items) ? items : [];
  const values = list.map((item) =>
    Number.isFinite(item.value) && item.value > 0 ? item.value : 0,
  );
  const barred = list.map((item) => item.bar !== false);
  const max = Math.max(0, ...values.filter((_, index) => barred[index]));
  // one decimal is enough for a length; a non-zero value keeps a visible sliver
  const percentOf = (value: number) =>
    max > 0 ? Math.max(value > 0 ? 1 : 0, Math.round((value / max) * 1000) / 10) : 0;
  return {
    rows: list.map((item, index) => ({
      key: index,
      label: item.label,
      valueText: valueText(item, values[index], unit),
      hint: item.hint ?? '',
      bar: barred[index],
      percent: barred[index] ? percentOf(values[index]) : 0,
    })),
    cols: list.map((item, index) => ({
      key: index,
      label: item.label,
      valueText: list.length <= COLUMN_VALUES_MAX ? valueText(item, values[index], unit) : '',
      // the tallest column leaves room for its value above it
      height: Math.round(percentOf(values[index]) * 0.8 * 10) / 10,
      highlight: item.highlight === true,
    })),
  };
}

Component({
  options: { styleIsolation: 'apply-shared' },

  properties: {
    items: { type: Array, value: [] as BarItem[] },
    /** appended to each value, e.g. 人 or 张 */
    unit: { type: String, value: '' },
    /** `rows` (horizontal bars, the default) or `columns` (a figure day by day) */
    layout: { type: String, value: 'rows' },
  },

  data: chartView([], ''),

  observers: {
    'items, unit'(items: BarItem[], unit: string) {
      this.setData(chartView(items, unit));
    },
  },
});
