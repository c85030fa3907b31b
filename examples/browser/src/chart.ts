/**
 * The live training chart, drawn on a canvas: the loss of each batch (faint) and its moving average (left axis),
 * the moving average of the batches' accuracy and the test accuracy measurements (right axis, 0–100%), and a
 * dashed line at each epoch boundary. Redraws are batched into animation frames.
 */
const LOSS = '#c2410c';
const LOSS_FAINT = 'rgba(194, 65, 12, 0.25)';
const ACCURACY = '#1d4ed8';
const TEST = '#15803d';
const GRID = '#e5e7eb';
const TEXT = '#374151';
const SMOOTHING = 20;

export class TrainingChart {
  private readonly canvas: HTMLCanvasElement;
  private losses: number[] = [];
  private accuracies: number[] = [];
  private tests: Array<{ step: number; accuracy: number }> = [];
  private stepsPerEpoch = 1;
  private pending = false;

  constructor(canvas: HTMLCanvasElement) {
    this.canvas = canvas;
    this.request();
  }

  reset(stepsPerEpoch: number): void {
    this.losses = [];
    this.accuracies = [];
    this.tests = [];
    this.stepsPerEpoch = stepsPerEpoch;
    this.request();
  }

  /** The batch of `step` (1-based) had this loss and accuracy. A step at or before the last one restarts the run there. */
  add(step: number, loss: number, accuracy: number): void {
    if (step <= this.losses.length) {
      this.losses.length = step - 1;
      this.accuracies.length = step - 1;
      this.tests = this.tests.filter((t) => t.step < step);
    }
    while (this.losses.length < step - 1) {
      this.losses.push(NaN);
      this.accuracies.push(NaN);
    }
    this.losses.push(loss);
    this.accuracies.push(accuracy);
    this.request();
  }

  addTest(step: number, accuracy: number): void {
    this.tests = this.tests.filter((t) => t.step !== step);
    this.tests.push({ step, accuracy });
    this.request();
  }

  /** The moving average of the last `SMOOTHING` losses up to `step` (1-based), NaN before any. */
  smoothedLoss(step = this.losses.length): number {
    return movingAverage(this.losses, step - 1);
  }

  smoothedAccuracy(step = this.accuracies.length): number {
    return movingAverage(this.accuracies, step - 1);
  }

  get steps(): number {
    return this.losses.length;
  }

  private request(): void {
    if (this.pending) return;
    this.pending = true;
    requestAnimationFrame(() => {
      this.pending = false;
      this.draw();
    });
  }

  private draw(): void {
    const { canvas } = this;
    const dpr = window.devicePixelRatio || 1;
    const cssWidth = canvas.clientWidth || 640;
    const cssHeight = canvas.clientHeight || 260;
    if (canvas.width !== Math.round(cssWidth * dpr) || canvas.height !== Math.round(cssHeight * dpr)) {
      canvas.width = Math.round(cssWidth * dpr);
      canvas.height = Math.round(cssHeight * dpr);
    }
    const ctx = canvas.getContext('2d')!;
    ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
    ctx.clearRect(0, 0, cssWidth, cssHeight);
    ctx.font = '12px system-ui, sans-serif';

    const left = 44, right = cssWidth - 44, top = 26, bottom = cssHeight - 28;
    const n = this.losses.length;
    const xMax = Math.max(50, n);
    const lossMax = Math.max(2.5, ...this.losses.filter(Number.isFinite));
    const xOf = (step: number) => left + ((right - left) * step) / xMax;
    const yLoss = (v: number) => bottom - ((bottom - top) * v) / lossMax;
    const yAcc = (v: number) => bottom - (bottom - top) * v;

    // Grid and axes.
    ctx.strokeStyle = GRID;
    ctx.lineWidth = 1;
    ctx.fillStyle = TEXT;
    for (let i = 0; i <= 4; i++) {
      const y = top + ((bottom - top) * i) / 4;
      ctx.beginPath();
      ctx.moveTo(left, y);
      ctx.lineTo(right, y);
      ctx.stroke();
      ctx.textAlign = 'right';
      ctx.fillText((lossMax * (1 - i / 4)).toFixed(1), left - 6, y + 4);
      ctx.textAlign = 'left';
      ctx.fillText(`${100 - 25 * i}%`, right + 6, y + 4);
    }
    ctx.textAlign = 'center';
    for (const step of ticks(xMax)) ctx.fillText(String(step), xOf(step), bottom + 16);
    ctx.setLineDash([4, 4]);
    for (let e = this.stepsPerEpoch; e <= xMax; e += this.stepsPerEpoch) {
      ctx.beginPath();
      ctx.moveTo(xOf(e), top);
      ctx.lineTo(xOf(e), bottom);
      ctx.stroke();
    }
    ctx.setLineDash([]);

    this.line(ctx, this.losses, xOf, yLoss, LOSS_FAINT, 1);
    this.line(ctx, this.losses.map((_, i) => movingAverage(this.losses, i)), xOf, yLoss, LOSS, 2);
    this.line(ctx, this.accuracies.map((_, i) => movingAverage(this.accuracies, i)), xOf, yAcc, ACCURACY, 2);
    ctx.fillStyle = TEST;
    for (const t of this.tests) {
      ctx.beginPath();
      ctx.arc(xOf(t.step), yAcc(t.accuracy), 4, 0, 2 * Math.PI);
      ctx.fill();
    }

    // Legend.
    const legend: Array<[string, string]> = [[LOSS, 'loss (avg of 20 batches)'], [ACCURACY, 'batch accuracy'], [TEST, 'test accuracy']];
    let x = left;
    ctx.textAlign = 'left';
    for (const [color, label] of legend) {
      ctx.fillStyle = color;
      ctx.fillRect(x, 8, 12, 12);
      ctx.fillStyle = TEXT;
      ctx.fillText(label, x + 16, 18);
      x += ctx.measureText(label).width + 36;
    }
    if (n === 0) {
      ctx.textAlign = 'center';
      ctx.fillText('Press Start to train', (left + right) / 2, (top + bottom) / 2);
    }
  }

  private line(ctx: CanvasRenderingContext2D, values: number[], xOf: (s: number) => number, yOf: (v: number) => number, color: string, width: number): void {
    ctx.strokeStyle = color;
    ctx.lineWidth = width;
    ctx.beginPath();
    let pen = false;
    values.forEach((v, i) => {
      if (!Number.isFinite(v)) {
        pen = false;
        return;
      }
      const x = xOf(i + 1), y = yOf(v);
      if (pen) ctx.lineTo(x, y);
      else ctx.moveTo(x, y);
      pen = true;
    });
    ctx.stroke();
  }
}

function movingAverage(values: number[], at: number): number {
  let sum = 0, count = 0;
  for (let i = Math.max(0, at - SMOOTHING + 1); i <= at; i++) {
    if (Number.isFinite(values[i])) {
      sum += values[i];
      count++;
    }
  }
  return count === 0 ? NaN : sum / count;
}

/** About five round step numbers from 0 to max. */
function ticks(max: number): number[] {
  const raw = max / 5;
  const unit = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 5, 10].map((m) => m * unit).find((s) => s >= raw) ?? raw;
  const out: number[] = [];
  for (let s = 0; s <= max; s += step) out.push(s);
  return out;
}
