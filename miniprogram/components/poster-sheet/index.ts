/**
 * <poster-sheet id="poster" bind:saved="onPosterSaved" />
 *
 * Draws a poster (utils/poster: a layout as data) on a Canvas 2D kept off screen, turns it into
 * an image, and shows it in a sheet with 保存到相册. The page calls, through
 * `this.selectComponent('#poster')`:
 * - `show(spec, { title, note })`: draw and open the sheet; resolves false when the poster could
 *   not be drawn (its code did not load);
 * - `render(spec)`: draw only, and answer the image's temporary path (a share card).
 *
 * Saving asks for the album permission the first time; when the visitor has refused it, WeChat
 * will not ask again, so the sheet explains and offers 去设置 (wx.openSetting), then saves.
 */
import { localImagePath } from '../../services/api';
import { toast } from '../../services/ui';
import { instanceState } from '../../utils/instance-state';
import { drawPoster, type LoadedImage, type PosterSpec } from '../../utils/poster';

/** How long one picture may take to load before the poster is drawn without it. */
const IMAGE_TIMEOUT_MS = 8000;
const ALBUM_SCOPE = 'scope.writePhotosAlbum';

interface Surface {
  canvas?: WechatMiniprogram.Canvas;
  /** the canvas node, once the component is laid out */
  ready?: Promise<WechatMiniprogram.Canvas | null>;
  resolveReady?: (canvas: WechatMiniprogram.Canvas | null) => void;
  drawing?: Promise<string | null>;
}

// Runtime state lives beside the instance, not in `data`: data is copied to the view layer.
const surfaceOf = instanceState<Surface>(() => ({}));

type CanvasImage = LoadedImage & { src: string; onload: unknown; onerror: unknown };

/** Loads one picture onto the canvas; null when it fails or takes too long. */
async function loadImage(
  canvas: WechatMiniprogram.Canvas,
  src: string,
): Promise<LoadedImage | null> {
  const path = await localImagePath(src);
  if (!path) return null;
  return new Promise((resolve) => {
    const image = canvas.createImage() as unknown as CanvasImage;
    const timer = setTimeout(() => resolve(null), IMAGE_TIMEOUT_MS);
    image.onload = () => {
      clearTimeout(timer);
      resolve(image);
    };
    image.onerror = () => {
      clearTimeout(timer);
      resolve(null);
    };
    image.src = path;
  });
}

/** A refusal of the album permission, now or earlier (WeChat words it per platform). */
function isPermissionRefused(error: unknown): boolean {
  const message = String((error as { errMsg?: string })?.errMsg ?? '');
  return /auth/i.test(message);
}

function isCancelled(error: unknown): boolean {
  return /cancel/i.test(String((error as { errMsg?: string })?.errMsg ?? ''));
}

Component({
  options: { styleIsolation: 'apply-shared' },

  data: {
    visible: false,
    imagePath: '',
    title: '',
    note: '',
    saving: false,
    canvasWidth: 300,
    canvasHeight: 300,
  },

  lifetimes: {
    attached() {
      const surface = surfaceOf(this);
      surface.ready = new Promise((resolve) => (surface.resolveReady = resolve));
    },
    ready() {
      const surface = surfaceOf(this);
      this.createSelectorQuery()
        .select('#poster-canvas')
        .fields({ node: true })
        .exec(([result]: Array<{ node?: WechatMiniprogram.Canvas } | null>) => {
          surface.canvas = result?.node;
          surface.resolveReady?.(result?.node ?? null);
        });
    },
    detached() {
      surfaceOf(this).canvas = undefined;
    },
  },

  methods: {
    /** Draws `spec` and answers the image's temporary path (null: it could not be drawn). */
    async render(spec: PosterSpec): Promise<string | null> {
      const surface = surfaceOf(this);
      // one drawing at a time on the one canvas
      while (surface.drawing) await surface.drawing.catch(() => null);
      const drawing = this.draw(spec);
      surface.drawing = drawing;
      try {
        return await drawing;
      } finally {
        surface.drawing = undefined;
      }
    },

    async draw(spec: PosterSpec): Promise<string | null> {
      const canvas = await surfaceOf(this).ready;
      if (!canvas) return null;
      // the canvas laid out at the poster's size too, so the exported area is the whole poster
      await new Promise<void>((resolve) =>
        this.setData({ canvasWidth: spec.width, canvasHeight: spec.height }, resolve),
      );
      canvas.width = spec.width;
      canvas.height = spec.height;
      const loaded = await Promise.all(
        Object.entries(spec.images).map(
          async ([key, src]) => [key, await loadImage(canvas, src)] as const,
        ),
      );
      const images = new Map<string, LoadedImage>();
      for (const [key, image] of loaded) if (image) images.set(key, image);
      // a poster's code is what it is for: without it there is no poster
      if (spec.images.qr && !images.has('qr')) return null;
      drawPoster(canvas.getContext('2d'), spec, images);
      try {
        const res = await wx.canvasToTempFilePath({
          canvas,
          fileType: 'png',
          x: 0,
          y: 0,
          width: spec.width,
          height: spec.height,
          destWidth: spec.width,
          destHeight: spec.height,
        } as unknown as WechatMiniprogram.CanvasToTempFilePathOption);
        return res.tempFilePath;
      } catch {
        return null;
      }
    },

    /** Draws `spec` and opens the sheet; false when it could not be drawn (a toast said so). */
    async show(spec: PosterSpec, text: { title: string; note?: string }): Promise<boolean> {
      wx.showLoading({ title: '正在生成海报', mask: true }).catch(() => undefined);
      const imagePath = await this.render(spec);
      wx.hideLoading().catch(() => undefined);
      if (!imagePath) {
        toast('海报生成失败，请稍后重试');
        return false;
      }
      this.setData({
        visible: true,
        imagePath,
        title: text.title,
        note: text.note ?? '',
      });
      return true;
    },

    onClose() {
      this.setData({ visible: false });
    },

    /** Taps inside the panel must not reach the mask. */
    onPanelTap() {},

    async onSave() {
      if (this.data.saving || !this.data.imagePath) return;
      this.setData({ saving: true });
      try {
        await this.saveToAlbum();
      } finally {
        this.setData({ saving: false });
      }
    },

    async saveToAlbum(): Promise<void> {
      const filePath = this.data.imagePath;
      try {
        await wx.saveImageToPhotosAlbum({ filePath });
      } catch (error) {
        if (isPermissionRefused(error)) {
          if (await this.askForAlbum()) return this.saveToAlbum();
          return;
        }
        if (!isCancelled(error)) toast('保存失败，请稍后重试');
        return;
      }
      wx.showToast({ title: '已保存到相册', icon: 'success' }).catch(() => undefined);
      this.triggerEvent('saved', { filePath });
    },

    /** The visitor refused the album once: explain, and open the settings (去设置). */
    async askForAlbum(): Promise<boolean> {
      const answer = await wx
        .showModal({
          title: '需要保存到相册的权限',
          content: '海报要存到你的相册里，才能发朋友圈。请在设置中打开「保存到相册」。',
          confirmText: '去设置',
          cancelText: '暂不',
        })
        .catch(() => ({ confirm: false }));
      if (!answer.confirm) return false;
      const settings = await wx.openSetting({}).catch(() => null);
      return Boolean(settings?.authSetting?.[ALBUM_SCOPE]);
    },
  },
});
