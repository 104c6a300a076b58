/**
 * <countdown end-at="{{iso}}" server-now="{{iso}}" label="距结束" bind:end="onEnd" />
 *
 * Counts down to `endAt` on the server's clock (`serverNow` is when the server answered), one
 * tick per displayed second. Fires `end` once when it reaches zero — also when `endAt` has
 * already passed on attach — and again only for a different `endAt` (pages re-set the same
 * values whenever they reload their data).
 */
import { countdownParts, formatCountdown, msUntil, serverOffset } from '../../utils/countdown';

interface Clock {
  attached: boolean;
  offsetMs: number;
  /** the endAt that `end` was fired for, if any */
  firedFor?: string;
  timer?: ReturnType<typeof setTimeout>;
}

// Runtime state lives beside the instance, not in `data`: data is copied to the view layer.
const clocks = new WeakMap<object, Clock>();

function clockOf(instance: object): Clock {
  let clock = clocks.get(instance);
  if (!clock) {
    clock = { attached: false, offsetMs: 0 };
    clocks.set(instance, clock);
  }
  return clock;
}

function stop(clock: Clock): void {
  if (clock.timer !== undefined) clearTimeout(clock.timer);
  clock.timer = undefined;
}

Component({
  options: { styleIsolation: 'apply-shared' },

  properties: {
    /** ISO instant the countdown reaches zero at */
    endAt: { type: String, value: '' },
    /** ISO instant of the server's clock when the page loaded its data */
    serverNow: { type: String, value: '' },
    /** shown before the time while it runs, e.g. 距结束 */
    label: { type: String, value: '' },
  },

  data: {
    text: '',
    ended: false,
  },

  observers: {
    'endAt, serverNow'() {
      if (clockOf(this).attached) this.restart();
    },
  },

  lifetimes: {
    attached() {
      clockOf(this).attached = true;
      this.restart();
    },
    detached() {
      const clock = clockOf(this);
      clock.attached = false;
      stop(clock);
    },
  },

  methods: {
    restart() {
      const clock = clockOf(this);
      stop(clock);
      clock.offsetMs = this.data.serverNow ? serverOffset(this.data.serverNow, Date.now()) : 0;
      this.tick();
    },

    tick() {
      const clock = clockOf(this);
      clock.timer = undefined;
      const left = msUntil(this.data.endAt, Date.now(), clock.offsetMs);
      if (Number.isNaN(left)) {
        this.setData({ text: '', ended: false });
        return;
      }
      const parts = countdownParts(left);
      const ended = parts.totalSeconds === 0;
      this.setData({ text: formatCountdown(parts), ended });
      if (ended) {
        if (clock.firedFor !== this.data.endAt) {
          clock.firedFor = this.data.endAt;
          this.triggerEvent('end');
        }
        return;
      }
      // wake when the shown second changes, not on a drifting one-second interval
      clock.timer = setTimeout(() => this.tick(), left % 1000 || 1000);
    },
  },
});
