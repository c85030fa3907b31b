/**
 * The drawing pad: pointer strokes on a canvas, turned into a 28×28 image the way MNIST's digits were made — the
 * ink's bounding box scaled to fit 20×20 (keeping its aspect ratio), then shifted so that its centre of mass sits at
 * the centre of the 28×28 field.
 */
import { PIXELS, SIDE } from './trainer.js';

const BOX = 20;

/**
 * Converts ink intensities (w × h values in [0, 1], row-major) to 784 MNIST-like pixels, or null when nothing is
 * drawn. Downscaling averages the ink over each target pixel's area (a box filter), so thin and thick strokes
 * keep their grey edges.
 */
export function toMnist(ink: Float32Array, width: number, height: number): Float32Array | null {
  let x0 = width, y0 = height, x1 = -1, y1 = -1;
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      if (ink[y * width + x] > 0) {
        if (x < x0) x0 = x;
        if (x > x1) x1 = x;
        if (y < y0) y0 = y;
        if (y > y1) y1 = y;
      }
    }
  }
  if (x1 < 0) return null;
  const bw = x1 - x0 + 1;
  const bh = y1 - y0 + 1;
  const scale = BOX / Math.max(bw, bh);
  const tw = Math.max(1, Math.round(bw * scale));
  const th = Math.max(1, Math.round(bh * scale));
  // Box-filter the bounding box down to tw × th.
  const small = new Float32Array(tw * th);
  const area = new Float32Array(tw * th);
  for (let y = 0; y < bh; y++) {
    const ty = Math.min(th - 1, Math.floor((y * th) / bh));
    for (let x = 0; x < bw; x++) {
      const tx = Math.min(tw - 1, Math.floor((x * tw) / bw));
      small[ty * tw + tx] += ink[(y0 + y) * width + (x0 + x)];
      area[ty * tw + tx] += 1;
    }
  }
  for (let i = 0; i < small.length; i++) if (area[i] > 0) small[i] /= area[i];
  // Centre of mass of the small image, placed at the field's centre (as MNIST did, to the nearest pixel).
  let mass = 0, mx = 0, my = 0;
  for (let y = 0; y < th; y++) {
    for (let x = 0; x < tw; x++) {
      const v = small[y * tw + x];
      mass += v;
      mx += v * (x + 0.5);
      my += v * (y + 0.5);
    }
  }
  const dx = Math.round(SIDE / 2 - mx / mass);
  const dy = Math.round(SIDE / 2 - my / mass);
  const out = new Float32Array(PIXELS);
  for (let y = 0; y < th; y++) {
    for (let x = 0; x < tw; x++) {
      const ox = x + dx, oy = y + dy;
      if (ox >= 0 && ox < SIDE && oy >= 0 && oy < SIDE) out[oy * SIDE + ox] = Math.min(1, small[y * tw + x]);
    }
  }
  return out;
}

/** Wires a canvas for drawing with the mouse, a pen or a finger; calls `onChange` while and after drawing. */
export class SketchPad {
  private readonly canvas: HTMLCanvasElement;
  private readonly ctx: CanvasRenderingContext2D;
  private drawing = false;
  private last: { x: number; y: number } | null = null;
  private hasInk = false;

  constructor(canvas: HTMLCanvasElement, private readonly onChange: (pixels: Float32Array | null, final: boolean) => void) {
    this.canvas = canvas;
    this.ctx = canvas.getContext('2d', { willReadFrequently: true })!;
    this.clear();
    canvas.addEventListener('pointerdown', (e) => this.down(e));
    canvas.addEventListener('pointermove', (e) => this.move(e));
    canvas.addEventListener('pointerup', (e) => this.up(e));
    canvas.addEventListener('pointercancel', (e) => this.up(e));
  }

  clear(): void {
    const { ctx, canvas } = this;
    ctx.fillStyle = '#000';
    ctx.fillRect(0, 0, canvas.width, canvas.height);
    this.hasInk = false;
    this.onChange(null, true);
  }

  /** The drawing as MNIST pixels (null if empty). */
  pixels(): Float32Array | null {
    if (!this.hasInk) return null;
    const { width, height } = this.canvas;
    const rgba = this.ctx.getImageData(0, 0, width, height).data;
    const ink = new Float32Array(width * height);
    for (let i = 0; i < ink.length; i++) ink[i] = rgba[4 * i] / 255;
    return toMnist(ink, width, height);
  }

  private point(e: PointerEvent): { x: number; y: number } {
    const r = this.canvas.getBoundingClientRect();
    return { x: ((e.clientX - r.left) * this.canvas.width) / r.width, y: ((e.clientY - r.top) * this.canvas.height) / r.height };
  }

  private down(e: PointerEvent): void {
    this.drawing = true;
    this.canvas.setPointerCapture(e.pointerId);
    this.last = this.point(e);
    this.stroke(this.last, this.last);
  }

  private move(e: PointerEvent): void {
    if (!this.drawing || this.last === null) return;
    const p = this.point(e);
    this.stroke(this.last, p);
    this.last = p;
    this.onChange(this.pixels(), false);
  }

  private up(e: PointerEvent): void {
    if (!this.drawing) return;
    this.drawing = false;
    if (this.canvas.hasPointerCapture(e.pointerId)) this.canvas.releasePointerCapture(e.pointerId);
    this.last = null;
    this.onChange(this.pixels(), true);
  }

  private stroke(a: { x: number; y: number }, b: { x: number; y: number }): void {
    const { ctx, canvas } = this;
    ctx.strokeStyle = '#fff';
    ctx.lineWidth = canvas.width / 12;
    ctx.lineCap = 'round';
    ctx.lineJoin = 'round';
    ctx.beginPath();
    ctx.moveTo(a.x, a.y);
    ctx.lineTo(b.x, b.y);
    ctx.stroke();
    this.hasInk = true;
  }
}
