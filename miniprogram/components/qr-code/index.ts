/**
 * <qr-code text="{{token}}" size="{{400}}" />
 *
 * Draws `text` as a QR code on a Canvas 2D, `size` rpx square, sharp at the device's pixel
 * ratio. Redraws whenever `text` or `size` changes (the coupon page refreshes its token every
 * minute). Text too long for a version-10 symbol shows a notice instead.
 */
import { drawQr, encodeQr } from '../../utils/qrcode';

interface Surface {
  canvas?: WechatMiniprogram.Canvas;
}

// Runtime state lives beside the instance, not in `data`: data is copied to the view layer.
const surfaces = new WeakMap<object, Surface>();

function surfaceOf(instance: object): Surface {
  let surface = surfaces.get(instance);
  if (!surface) {
    surface = {};
    surfaces.set(instance, surface);
  }
  return surface;
}

Component({
  options: { styleIsolation: 'apply-shared' },

  properties: {
    text: { type: String, value: '' },
    /** side length in rpx */
    size: { type: Number, value: 400 },
  },

  data: {
    failed: false,
  },

  observers: {
    'text, size'() {
      this.draw();
    },
  },

  lifetimes: {
    ready() {
      this.findCanvas();
    },
    detached() {
      surfaces.delete(this);
    },
  },

  methods: {
    /**
     * Finds the canvas node, then draws. A component created with its page's first render finds it
     * at ready(); one created later (a card that appears once loaded) may not be laid out by then,
     * so a text arriving before the canvas was found looks again.
     */
    findCanvas() {
      this.createSelectorQuery()
        .select('#qr')
        .fields({ node: true })
        .exec(([result]: Array<{ node?: WechatMiniprogram.Canvas } | null>) => {
          if (!result?.node) return;
          surfaceOf(this).canvas = result.node;
          this.draw();
        });
    },

    draw() {
      const { canvas } = surfaceOf(this);
      if (!canvas) {
        if (this.data.text) this.findCanvas();
        return; // not laid out yet: drawn once found
      }
      const { pixelRatio, windowWidth } = wx.getWindowInfo();
      // device pixels, so each module's edges land on whole pixels
      const side = Math.round(((this.data.size * windowWidth) / 750) * pixelRatio);
      canvas.width = side; // resizing also clears
      canvas.height = side;
      if (!this.data.text) {
        this.setData({ failed: false });
        return;
      }
      try {
        drawQr(canvas.getContext('2d'), encodeQr(this.data.text).modules, side);
        this.setData({ failed: false });
      } catch {
        this.setData({ failed: true });
      }
    },
  },
});
