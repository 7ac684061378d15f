// The drawing pad: pointer strokes on a canvas, turned into an 8×8 image the way sklearn's digits
// were made (UCI optdigits: a 32×32 bitmap, then the ink count of each 4×4 block, 0–16). The drawn
// strokes' bounding box is scaled (aspect kept) to 28 px inside a 32×32 frame and centred, so the
// digit's size and position on the pad do not matter.

export interface DrawPad {
  clear(): void;
  /** The current drawing as 64 values 0–16 (row-major), or null if the pad is empty. */
  pixels(): number[] | null;
}

/** Makes `canvas` drawable; `onStroke` runs after every stroke ends. */
export function drawPad(canvas: HTMLCanvasElement, onStroke: () => void): DrawPad {
  const ctx = canvas.getContext('2d', { willReadFrequently: true })!;
  const clear = () => { ctx.fillStyle = '#fff'; ctx.fillRect(0, 0, canvas.width, canvas.height); };
  clear();
  let last: [number, number] | null = null;
  const at = (e: PointerEvent): [number, number] => {
    const r = canvas.getBoundingClientRect();
    return [(e.clientX - r.left) * (canvas.width / r.width), (e.clientY - r.top) * (canvas.height / r.height)];
  };
  const line = (to: [number, number]) => {
    ctx.strokeStyle = '#000'; ctx.lineWidth = canvas.width / 10; ctx.lineCap = 'round'; ctx.lineJoin = 'round';
    ctx.beginPath(); ctx.moveTo(...(last ?? to)); ctx.lineTo(...to); ctx.stroke();
    last = to;
  };
  canvas.addEventListener('pointerdown', (e) => { canvas.setPointerCapture?.(e.pointerId); last = null; line(at(e)); });
  canvas.addEventListener('pointermove', (e) => { if (last) line(at(e)); });
  const end = () => { if (last) { last = null; onStroke(); } };
  canvas.addEventListener('pointerup', end);
  canvas.addEventListener('pointercancel', end);

  return {
    clear,
    pixels() {
      const { width: w, height: h } = canvas, img = ctx.getImageData(0, 0, w, h).data;
      let x0 = w, y0 = h, x1 = -1, y1 = -1;
      for (let y = 0; y < h; y++) {
        for (let x = 0; x < w; x++) {
          if (img[(y * w + x) * 4]! < 128) { x0 = Math.min(x0, x); x1 = Math.max(x1, x); y0 = Math.min(y0, y); y1 = Math.max(y1, y); }
        }
      }
      if (x1 < 0) return null;
      const bw = x1 - x0 + 1, bh = y1 - y0 + 1, s = 28 / Math.max(bw, bh);
      const small = document.createElement('canvas');
      small.width = small.height = 32;
      const sctx = small.getContext('2d', { willReadFrequently: true })!;
      sctx.fillStyle = '#fff'; sctx.fillRect(0, 0, 32, 32);
      sctx.imageSmoothingEnabled = true; sctx.imageSmoothingQuality = 'high';
      sctx.drawImage(canvas, x0, y0, bw, bh, (32 - bw * s) / 2, (32 - bh * s) / 2, bw * s, bh * s);
      const bits = sctx.getImageData(0, 0, 32, 32).data;
      const out = new Array<number>(64).fill(0);
      for (let y = 0; y < 32; y++) {
        for (let x = 0; x < 32; x++) {
          const k = (y >> 2) * 8 + (x >> 2);
          if (bits[(y * 32 + x) * 4]! < 128) out[k] = out[k]! + 1;
        }
      }
      return out;
    },
  };
}

/** Draws 8×8 values 0–16 onto a canvas of 8×8 pixels (black ink on white). */
export function showPixels(canvas: HTMLCanvasElement, pixels: number[]): void {
  const ctx = canvas.getContext('2d')!, img = ctx.createImageData(8, 8);
  pixels.forEach((v, i) => {
    const g = 255 - Math.round((v / 16) * 255);
    img.data.set([g, g, g, 255], i * 4);
  });
  ctx.putImageData(img, 0, 0);
}
