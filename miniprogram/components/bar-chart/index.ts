/**
 * <bar-chart items="{{[{ label: '访问', value: 1200, hint: '100%' }]}}" unit="人" />
 *
 * Horizontal bars scaled to the largest value, each with its label, value and an optional hint
 * (conversion rate, average…). An item with `bar: false` is a figure without a bar and does not
 * count for the scale: the admin dashboard's funnel bars people and lists spins and coupons
 * between them, which would otherwise dwarf the people.
 */
import { formatCount } from '../../utils/format';

export interface BarItem {
  label: string;
  value: number;
  hint?: string;
  /** appended to this value instead of the chart's `unit` */
  unit?: string;
  /** false: shown as a figure, without a bar (default true) */
  bar?: boolean;
}

function barsView(items: BarItem[] | null, unit: string) {
  const list = Array.isArray(items) ? items : [];
  const values = list.map((item) =>
    Number.isFinite(item.value) && item.value > 0 ? item.value : 0,
  );
  const barred = list.map((item) => item.bar !== false);
  const max = Math.max(0, ...values.filter((_, index) => barred[index]));
  return {
    rows: list.map((item, index) => {
      const value = values[index];
      // one decimal is enough for a width; a non-zero value keeps a visible sliver
      const percent =
        max > 0 ? Math.max(value > 0 ? 1 : 0, Math.round((value / max) * 1000) / 10) : 0;
      return {
        key: index,
        label: item.label,
        valueText: `${formatCount(value)}${item.unit ?? unit}`,
        hint: item.hint ?? '',
        bar: barred[index],
        percent: barred[index] ? percent : 0,
      };
    }),
  };
}

Component({
  options: { styleIsolation: 'apply-shared' },

  properties: {
    items: { type: Array, value: [] as BarItem[] },
    /** appended to each value, e.g. 人 or 张 */
    unit: { type: String, value: '' },
  },

  data: barsView([], ''),

  observers: {
    'items, unit'(items: BarItem[], unit: string) {
      this.setData(barsView(items, unit));
    },
  },
});
