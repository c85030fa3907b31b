/**
 * The demo page: it starts the training worker, shows its progress on a live chart, sends what is drawn on the pad
 * to the worker for a prediction, and saves and loads checkpoints (download, IndexedDB, file). The page loads the
 * library too (the same bundle as the worker) to describe the model and to check a checkpoint file before sending it.
 */
import * as tg from './tapegrad.min.js';
import { makeModel, PIXELS, SIDE } from './trainer.js';
import { SketchPad } from './sketch.js';
import { TrainingChart } from './chart.js';
import { downloadBytes, loadFromIndexedDB, saveToIndexedDB } from './storage.js';
import type { FromWorker, GalleryState, ToWorker } from './protocol.js';

function $<T extends HTMLElement>(id: string): T {
  const el = document.getElementById(id);
  if (el === null) throw new Error(`missing element #${id}`);
  return el as T;
}

const ui = {
  start: $<HTMLButtonElement>('start'),
  reset: $<HTMLButtonElement>('reset'),
  progress: $<HTMLProgressElement>('progress'),
  progressText: $('progress-text'),
  stats: $('stats'),
  step: $('stat-step'),
  loss: $('stat-loss'),
  accuracy: $('stat-accuracy'),
  test: $('stat-test'),
  chart: $<HTMLCanvasElement>('chart'),
  model: $('model'),
  pad: $<HTMLCanvasElement>('pad'),
  clear: $<HTMLButtonElement>('clear'),
  prediction: $<HTMLOutputElement>('prediction'),
  probabilities: $<HTMLOListElement>('probabilities'),
  gallery: $<HTMLOListElement>('gallery'),
  download: $<HTMLButtonElement>('download'),
  saveBrowser: $<HTMLButtonElement>('save-browser'),
  loadBrowser: $<HTMLButtonElement>('load-browser'),
  loadFile: $<HTMLInputElement>('load-file'),
  checkpointStatus: $('checkpoint-status'),
  error: $('error'),
};

const worker = new Worker(new URL('./worker.js', import.meta.url), { type: 'module' });
const send = (message: ToWorker, transfer: Transferable[] = []) => worker.postMessage(message, transfer);
const chart = new TrainingChart(ui.chart);

let totalSteps = 1;
let epochs = 1;
let stepsPerEpoch = 1;
let running = false;
let done = false;
let ready = false;
/** Loss of every batch so far, index = step − 1. */
let losses: number[] = [];
/** What to do with the next checkpoint the worker sends. */
let onCheckpoint: ((bytes: Uint8Array, step: number, epoch: number) => Promise<void> | void) | null = null;
let predictionId = 0;

const percent = (x: number) => `${(100 * x).toFixed(1)}%`;
const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;

function showError(message: string): void {
  ui.error.hidden = false;
  ui.error.textContent = message;
  console.error(message);
}

// --- the model's description, from the library on this thread -------------------------------------------------
{
  const summary = tg.nn.summary(makeModel(tg), [1, 1, SIDE, SIDE]);
  const layers = summary.rows.map((r) => r.layer).join(' → ');
  ui.model.textContent = `${summary.totalParameters.toLocaleString('en')} parameters, ${summary.totalMacs.toLocaleString('en')} multiply-adds per digit. Layers: ${layers}. Adam, batches of 32.`;
}

// --- probabilities of the drawn digit -----------------------------------------------------------------------------
const probabilityRows = Array.from({ length: 10 }, (_, digit) => {
  const li = document.createElement('li');
  const label = document.createElement('span');
  label.textContent = String(digit);
  const meter = document.createElement('meter');
  meter.min = 0;
  meter.max = 1;
  meter.value = 0;
  const value = document.createElement('span');
  value.className = 'percent';
  value.textContent = '–';
  li.append(label, meter, value);
  ui.probabilities.append(li);
  return { li, meter, value };
});

function showPrediction(probabilities: Float32Array | null): void {
  if (probabilities === null) {
    ui.prediction.textContent = '–';
    delete ui.prediction.dataset.digit;
    for (const row of probabilityRows) {
      row.meter.value = 0;
      row.value.textContent = '–';
      row.li.classList.remove('top');
      delete row.li.dataset.probability;
    }
    return;
  }
  const best = argmax(probabilities);
  ui.prediction.textContent = String(best);
  ui.prediction.dataset.digit = String(best);
  probabilityRows.forEach((row, digit) => {
    const p = probabilities[digit];
    row.meter.value = p;
    row.value.textContent = percent(p);
    row.li.classList.toggle('top', digit === best);
    row.li.dataset.probability = String(p);
  });
}

function argmax(values: ArrayLike<number>): number {
  let best = 0;
  for (let i = 1; i < values.length; i++) if (values[i] > values[best]) best = i;
  return best;
}

let pendingPixels: Float32Array | null = null;
let waitingForPrediction = false;
function requestPrediction(pixels: Float32Array | null): void {
  if (pixels === null) {
    pendingPixels = null;
    predictionId++;
    showPrediction(null);
    return;
  }
  pendingPixels = pixels;
  // One request in flight at a time; while the worker is busy with a batch, the newest drawing waits.
  if (!waitingForPrediction && ready) sendPrediction();
}
function sendPrediction(): void {
  if (pendingPixels === null) return;
  const pixels = pendingPixels;
  pendingPixels = null;
  waitingForPrediction = true;
  send({ type: 'predict', id: ++predictionId, pixels }, [pixels.buffer]);
}

const pad = new SketchPad(ui.pad, (pixels) => requestPrediction(pixels));
ui.clear.addEventListener('click', () => pad.clear());

// --- the gallery of test digits -------------------------------------------------------------------------------
let galleryItems: Array<{ li: HTMLLIElement; caption: HTMLSpanElement; label: number }> = [];

function buildGallery(pixels: Float32Array, labels: number[]): void {
  ui.gallery.replaceChildren();
  galleryItems = labels.map((label, i) => {
    const li = document.createElement('li');
    const canvas = document.createElement('canvas');
    canvas.width = SIDE;
    canvas.height = SIDE;
    const ctx = canvas.getContext('2d')!;
    const image = ctx.createImageData(SIDE, SIDE);
    for (let p = 0; p < PIXELS; p++) {
      const v = Math.round(255 * pixels[i * PIXELS + p]);
      image.data.set([v, v, v, 255], 4 * p);
    }
    ctx.putImageData(image, 0, 0);
    canvas.setAttribute('aria-hidden', 'true');
    const caption = document.createElement('span');
    li.dataset.label = String(label);
    li.append(canvas, caption);
    ui.gallery.append(li);
    return { li, caption, label };
  });
}

function updateGallery(state: GalleryState): void {
  galleryItems.forEach((item, i) => {
    const probabilities = Array.from(state.probabilities.subarray(10 * i, 10 * i + 10));
    const predicted = argmax(probabilities);
    item.li.dataset.predicted = String(predicted);
    item.li.dataset.probabilities = JSON.stringify(probabilities);
    item.li.className = predicted === item.label ? 'right' : 'wrong';
    item.caption.textContent = `${predicted} · ${percent(probabilities[predicted])}`;
    item.li.title = `label ${item.label}, predicted ${predicted}`;
  });
  ui.gallery.dataset.step = String(state.step);
}

// --- training state ---------------------------------------------------------------------------------------------
function render(): void {
  document.body.dataset.state = !ready ? 'loading' : running ? 'running' : done ? 'done' : 'stopped';
  ui.start.textContent = running ? 'Stop' : losses.length > 0 && !done ? 'Resume' : 'Start';
  ui.start.disabled = !ready || (done && !running);
  ui.reset.disabled = !ready;
  for (const b of [ui.download, ui.saveBrowser, ui.loadBrowser]) b.disabled = !ready;
  ui.loadFile.disabled = !ready;
}

function showStep(step: number, epoch: number): void {
  ui.progress.value = step / totalSteps;
  ui.progress.textContent = percent(step / totalSteps);
  ui.progressText.textContent = `step ${step} of ${totalSteps} · epoch ${Math.min(epoch + 1, epochs)} of ${epochs}${done ? ' · done' : ''}`;
  ui.step.textContent = String(step);
  ui.stats.dataset.step = String(step);
}

function showStats(step: number): void {
  const seen = losses.slice(0, step).filter(Number.isFinite);
  if (seen.length === 0) {
    ui.loss.textContent = '–';
    ui.accuracy.textContent = '–';
    delete ui.stats.dataset.firstLoss;
    delete ui.stats.dataset.lastLoss;
    return;
  }
  ui.loss.textContent = chart.smoothedLoss(step).toFixed(3);
  ui.accuracy.textContent = percent(chart.smoothedAccuracy(step));
  // The first and the latest five batches, for anyone (or any test) checking that the loss falls.
  const first = mean(seen.slice(0, 5));
  const last = mean(seen.slice(-5));
  ui.stats.dataset.firstLoss = String(first);
  ui.stats.dataset.lastLoss = String(last);
  ui.chart.setAttribute('aria-label', `Training chart: loss fell from ${first.toFixed(2)} (first batches) to ${last.toFixed(2)} (latest) in ${step} steps`);
}

worker.addEventListener('message', (event: MessageEvent<FromWorker>) => {
  const m = event.data;
  switch (m.type) {
    case 'ready':
      ready = true;
      totalSteps = m.totalSteps;
      epochs = m.epochs;
      stepsPerEpoch = m.stepsPerEpoch;
      losses = [];
      chart.reset(stepsPerEpoch);
      buildGallery(m.galleryPixels, m.galleryLabels);
      updateGallery(m.gallery);
      ui.test.textContent = '–';
      showStats(0);
      showStep(0, 0);
      ui.progressText.textContent = `${m.trainSize.toLocaleString('en')} training and ${m.testSize.toLocaleString('en')} test digits loaded · ${m.epochs} epochs of ${m.stepsPerEpoch} steps`;
      if (pendingPixels !== null) sendPrediction();
      break;
    case 'progress':
      losses.length = m.step - 1;
      losses.push(m.loss);
      chart.add(m.step, m.loss, m.accuracy);
      showStep(m.step, m.epoch);
      showStats(m.step);
      break;
    case 'evaluation':
      chart.addTest(m.step, m.accuracy);
      ui.test.textContent = percent(m.accuracy);
      ui.test.title = `on ${m.size} held-out digits after step ${m.step}`;
      ui.stats.dataset.testAccuracy = String(m.accuracy);
      updateGallery(m.gallery);
      break;
    case 'state':
      running = m.running;
      done = m.done;
      showStep(m.step, m.epoch);
      render();
      break;
    case 'prediction':
      waitingForPrediction = false;
      if (m.id === predictionId) showPrediction(m.probabilities);
      sendPrediction();
      break;
    case 'checkpoint': {
      const handler = onCheckpoint;
      onCheckpoint = null;
      Promise.resolve(handler?.(m.bytes, m.step, m.epoch)).catch((e: unknown) => showError(`checkpoint: ${String(e)}`));
      break;
    }
    case 'loaded':
      // The chart's history after the loaded step belongs to another run.
      losses.length = Math.min(losses.length, m.step);
      ui.checkpointStatus.textContent = `Loaded a checkpoint at step ${m.step} (epoch ${m.epoch}).`;
      ui.checkpointStatus.dataset.loadedStep = String(m.step);
      showStep(m.step, m.epoch);
      showStats(m.step);
      break;
    case 'error':
      showError(`training worker: ${m.message}`);
      break;
  }
});
document.addEventListener('securitypolicyviolation', (event) => {
  showError(`the Content-Security-Policy refused ${event.blockedURI || 'inline code'} (${event.violatedDirective})`);
});
worker.addEventListener('error', (event) => showError(`training worker failed: ${event.message || 'could not start'}`));

ui.start.addEventListener('click', () => {
  if (running) {
    send({ type: 'stop' });
    // The worker confirms when the current batch is done; the button reflects the request at once.
    ui.start.disabled = true;
  } else {
    send({ type: 'start' });
  }
});
ui.reset.addEventListener('click', () => send({ type: 'reset' }));

// --- checkpoints --------------------------------------------------------------------------------------------------
function requestCheckpoint(handler: NonNullable<typeof onCheckpoint>): void {
  onCheckpoint = handler;
  send({ type: 'save' });
}

ui.download.addEventListener('click', () => requestCheckpoint((bytes, step) => {
  downloadBytes(bytes, `tapegrad-mnist-step-${step}.safetensors`);
  ui.checkpointStatus.textContent = `Downloaded the checkpoint of step ${step} (${bytes.length.toLocaleString('en')} bytes).`;
}));

ui.saveBrowser.addEventListener('click', () => requestCheckpoint(async (bytes, step, epoch) => {
  await saveToIndexedDB(bytes, step, epoch);
  ui.checkpointStatus.textContent = `Saved the checkpoint of step ${step} in this browser (IndexedDB).`;
  ui.checkpointStatus.dataset.savedStep = String(step);
}));

function loadBytes(bytes: Uint8Array, source: string): void {
  // Checked here first, so that a wrong file is reported without disturbing the training.
  try {
    const ckpt = tg.io.loadCheckpoint(bytes);
    if (ckpt.model === undefined) throw new TypeError('it holds no model');
  } catch (e) {
    ui.checkpointStatus.textContent = `${source} is not a checkpoint of this demo: ${e instanceof Error ? e.message : String(e)}`;
    return;
  }
  send({ type: 'load', bytes }, [bytes.buffer]);
}

ui.loadBrowser.addEventListener('click', () => {
  loadFromIndexedDB().then((record) => {
    if (record === undefined) ui.checkpointStatus.textContent = 'No checkpoint is saved in this browser yet.';
    else loadBytes(new Uint8Array(record.bytes), 'The saved checkpoint');
  }).catch((e: unknown) => showError(`IndexedDB: ${String(e)}`));
});

ui.loadFile.addEventListener('change', () => {
  const file = ui.loadFile.files?.[0];
  if (file === undefined) return;
  file.arrayBuffer().then((buffer) => loadBytes(new Uint8Array(buffer), file.name)).catch((e: unknown) => showError(`${file.name}: ${String(e)}`));
  ui.loadFile.value = '';
});

render();
