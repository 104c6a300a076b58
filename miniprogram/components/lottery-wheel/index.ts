/**
 * <lottery-wheel id="wheel" sectors="{{sectors}}" size="{{600}}" />
 *
 * The lottery wheel (大转盘) on a Canvas 2D, with the pointer fixed at 12 o'clock. The server
 * draws the prize first; the page then calls `spinTo(sectorIndex)` on this component
 * (`this.selectComponent('#wheel')`), which turns the wheel for about 4 s, easing out, and
 * resolves once it rests inside that sector.
 *
 * A `spinTo` while the wheel is turning is refused (the promise rejects): the page owns the
 * spin button and must not start a second spin; queueing one would show a result nobody asked
 * for. If the component is removed mid-spin, the promise resolves at once.
 */
import { drawWheel, MAX_JITTER, sectorAngle, targetRotation, rotationAt } from '../../utils/wheel';
import type { PublicCampaign } from '../../../cloudfunctions/_shared/contracts';

type WheelSector = PublicCampaign['wheel']['sectors'][number];

const SPIN_MS = 4000;
const SPIN_TURNS = 6;
const FRAME_MS = 16;

interface Wheel {
  canvas?: WechatMiniprogram.Canvas;
  /** canvas side in device pixels */
  side: number;
  /** the sector count `rotation` was computed for */
  count: number;
  rotation: number;
  /** where the running spin will stop: the labels are turned to read upright there */
  target?: number;
  spinning: boolean;
  /** the pending animation frame, and whether the canvas or a timer schedules it */
  frame?: { id: number; onCanvas: boolean };
  /** settles the running spin */
  finish?: () => void;
}

/** What the module's helpers read from the component. */
interface WheelHost {
  data: { sectors: WheelSector[] | null };
}

// Runtime state lives beside the instance, not in `data`: data is copied to the view layer.
const wheels = new WeakMap<object, Wheel>();

function wheelOf(instance: object): Wheel {
  let wheel = wheels.get(instance);
  if (!wheel) {
    wheel = { side: 0, count: 0, rotation: 0, spinning: false };
    wheels.set(instance, wheel);
  }
  return wheel;
}

function sectorsOf(instance: WheelHost): WheelSector[] {
  const { sectors } = instance.data;
  return Array.isArray(sectors) ? sectors : [];
}

/**
 * A new set of sectors starts with the pointer in the middle of sector 0. The same count again
 * (the page reloading its data after a spin) keeps the wheel where it stopped.
 */
function settle(wheel: Wheel, count: number): void {
  if (wheel.spinning || count === wheel.count) return;
  wheel.count = count;
  wheel.rotation = count >= 2 ? -sectorAngle(count) / 2 : 0;
}

function paint(instance: WheelHost): void {
  const wheel = wheelOf(instance);
  if (!wheel.canvas) return;
  const names = sectorsOf(instance).map((sector) => sector.name);
  const rest = wheel.target ?? wheel.rotation;
  drawWheel(wheel.canvas.getContext('2d'), names, wheel.side, wheel.rotation, rest);
}

function scheduleFrame(wheel: Wheel, callback: () => void): void {
  // the canvas node may not be there yet (a spin right after load): a timer stands in
  wheel.frame = wheel.canvas
    ? { id: wheel.canvas.requestAnimationFrame(callback), onCanvas: true }
    : { id: setTimeout(callback, FRAME_MS) as unknown as number, onCanvas: false };
}

function cancelFrame(wheel: Wheel): void {
  const { frame } = wheel;
  if (!frame) return;
  if (frame.onCanvas) wheel.canvas?.cancelAnimationFrame(frame.id);
  else clearTimeout(frame.id as unknown as ReturnType<typeof setTimeout>);
  wheel.frame = undefined;
}

function announce(sectors: WheelSector[], landed: number): string {
  const names = sectors.map((sector) => sector.name).join('、');
  const result = landed >= 0 && sectors[landed] ? `，指针停在：${sectors[landed].name}` : '';
  return `抽奖转盘，奖品有：${names}${result}`;
}

Component({
  options: { styleIsolation: 'apply-shared' },

  properties: {
    /** the wheel's sectors in order, clockwise from the pointer (campaign.get's wheel.sectors) */
    sectors: { type: Array, value: [] as WheelSector[] },
    /** side length in rpx */
    size: { type: Number, value: 600 },
  },

  data: {
    /** what a screen reader announces */
    ariaLabel: '',
  },

  observers: {
    sectors() {
      const sectors = sectorsOf(this);
      settle(wheelOf(this), sectors.length);
      this.setData({ ariaLabel: announce(sectors, -1) });
      paint(this);
    },
  },

  lifetimes: {
    ready() {
      this.createSelectorQuery()
        .select('#wheel')
        .fields({ node: true })
        .exec(([result]: Array<{ node?: WechatMiniprogram.Canvas } | null>) => {
          if (!result?.node) return;
          const wheel = wheelOf(this);
          const { pixelRatio, windowWidth } = wx.getWindowInfo();
          wheel.side = Math.round(((this.data.size * windowWidth) / 750) * pixelRatio);
          wheel.canvas = result.node;
          wheel.canvas.width = wheel.side;
          wheel.canvas.height = wheel.side;
          settle(wheel, sectorsOf(this).length);
          paint(this);
        });
    },
    detached() {
      const wheel = wheelOf(this);
      cancelFrame(wheel);
      wheel.finish?.();
      wheels.delete(this);
    },
  },

  methods: {
    /** Turns the wheel to rest inside sector `sectorIndex`; see the file comment for the rules. */
    spinTo(sectorIndex: number): Promise<void> {
      const wheel = wheelOf(this);
      const sectors = sectorsOf(this);
      if (wheel.spinning) return Promise.reject(new Error('the wheel is already spinning'));
      if (!Number.isInteger(sectorIndex) || sectorIndex < 0 || sectorIndex >= sectors.length) {
        return Promise.reject(new RangeError(`sector ${sectorIndex} is not on this wheel`));
      }

      wheel.spinning = true;
      const from = wheel.rotation;
      const to = targetRotation({
        sectorCount: sectors.length,
        sectorIndex,
        currentRotation: from,
        turns: SPIN_TURNS,
        // rest anywhere inside the sector, not always dead centre: it looks less rigged
        jitter: (Math.random() * 2 - 1) * MAX_JITTER,
      });
      wheel.target = to;
      const startedAt = Date.now();

      return new Promise<void>((resolve) => {
        wheel.finish = () => {
          cancelFrame(wheel);
          wheel.spinning = false;
          wheel.finish = undefined;
          wheel.target = undefined;
          wheel.rotation = to;
          resolve();
        };
        const frame = (): void => {
          wheel.frame = undefined;
          const elapsed = Date.now() - startedAt;
          wheel.rotation = rotationAt(elapsed, from, to, SPIN_MS);
          paint(this);
          if (elapsed < SPIN_MS) {
            scheduleFrame(wheel, frame);
            return;
          }
          this.setData({ ariaLabel: announce(sectors, sectorIndex) });
          wheel.finish?.();
        };
        scheduleFrame(wheel, frame);
      });
    },
  },
});
