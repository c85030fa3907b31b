/**
 * The training worker (a module worker): it loads the digits, trains batch after batch while the page says so,
 * and between batches answers the page — predictions for the drawing pad, checkpoints to save, checkpoints to load.
 * Training here keeps the page's thread free, so drawing and the buttons stay responsive.
 */
import * as tg from './tapegrad.min.js';
import { Trainer, decodeDigits, type Digits } from './trainer.js';
import type { FromWorker, GalleryState, ToWorker } from './protocol.js';

/** The part of DedicatedWorkerGlobalScope used here (the project's TypeScript lib is the DOM's). */
interface WorkerScope {
  postMessage(message: FromWorker, transfer?: Transferable[]): void;
  addEventListener(type: 'message', listener: (event: MessageEvent<ToWorker>) => void): void;
  addEventListener(type: 'securitypolicyviolation', listener: (event: SecurityPolicyViolationEvent) => void): void;
}
const scope = self as unknown as WorkerScope;

/** Test accuracy is measured every EVAL_EVERY steps on the first EVAL_SIZE test digits (all of them at the end). */
const EVAL_EVERY = 50;
const EVAL_SIZE = 500;
const GALLERY_SIZE = 12;

let digits: Digits | null = null;
let trainer: Trainer | null = null;
let running = false;
let galleryPixels: Float32Array = new Float32Array(0);

function post(message: FromWorker, transfer: Transferable[] = []): void {
  scope.postMessage(message, transfer);
}

function gallery(t: Trainer): GalleryState {
  return { step: t.step, probabilities: t.predict(galleryPixels) };
}

function evaluation(t: Trainer, size: number): FromWorker {
  return { type: 'evaluation', step: t.step, accuracy: t.evaluate(size), size: Math.min(size, t.testSet.length), gallery: gallery(t) };
}

function state(t: Trainer): FromWorker {
  return { type: 'state', running, done: t.done, step: t.step, epoch: t.epoch };
}

function fresh(): Trainer {
  const t = new Trainer(tg, digits!);
  const images = t.testImages(GALLERY_SIZE);
  galleryPixels = images.pixels;
  post({
    type: 'ready', stepsPerEpoch: t.stepsPerEpoch, totalSteps: t.totalSteps, epochs: t.options.epochs,
    trainSize: t.trainSet.length, testSize: t.testSet.length,
    galleryPixels: images.pixels.slice(), galleryLabels: images.labels, gallery: gallery(t),
  });
  return t;
}

/** Lets queued messages (stop, predict, save) run between two batches. */
function yieldToMessages(): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, 0));
}

async function train(t: Trainer): Promise<void> {
  post(state(t));
  while (running && trainer === t && !t.done) {
    const r = t.trainStep();
    post({ type: 'progress', ...r });
    if (t.done) post(evaluation(t, t.testSet.length));
    else if (r.step % EVAL_EVERY === 0) post(evaluation(t, EVAL_SIZE));
    await yieldToMessages();
  }
  if (trainer !== t) return;
  if (running) running = false;
  else if (t.step % EVAL_EVERY !== 0) post(evaluation(t, EVAL_SIZE)); // stopped by the page: show where it stands
  post(state(t));
}

function handle(message: ToWorker): void {
  const t = trainer;
  if (t === null) throw new Error('the digits are still loading');
  switch (message.type) {
    case 'start':
      if (!running && !t.done) {
        running = true;
        train(t).catch(report);
      }
      break;
    case 'stop':
      running = false;
      break;
    case 'reset':
      running = false;
      trainer = fresh();
      post(state(trainer));
      break;
    case 'predict': {
      const probabilities = t.predict(message.pixels);
      post({ type: 'prediction', id: message.id, step: t.step, probabilities }, [probabilities.buffer]);
      break;
    }
    case 'save': {
      const bytes = t.checkpoint();
      post({ type: 'checkpoint', step: t.step, epoch: t.epoch, bytes }, [bytes.buffer]);
      break;
    }
    case 'load': {
      running = false;
      const { step, epoch } = t.restore(message.bytes);
      post({ type: 'loaded', step, epoch });
      post(evaluation(t, EVAL_SIZE));
      post(state(t));
      break;
    }
  }
}

function report(e: unknown): void {
  post({ type: 'error', message: e instanceof Error ? `${e.name}: ${e.message}` : String(e) });
}

// Something the Content-Security-Policy refuses here (an eval, a fetch elsewhere) would otherwise fail quietly.
scope.addEventListener('securitypolicyviolation', (event) => {
  report(`the Content-Security-Policy refused ${event.blockedURI || 'inline code'} (${event.violatedDirective})`);
});

scope.addEventListener('message', (event) => {
  try {
    handle(event.data);
  } catch (e) {
    report(e);
  }
});

try {
  const response = await fetch(new URL('digits.bin', import.meta.url));
  if (!response.ok) throw new Error(`digits.bin: HTTP ${response.status}`);
  digits = decodeDigits(new Uint8Array(await response.arrayBuffer()));
  trainer = fresh();
  post(state(trainer));
} catch (e) {
  report(e);
}
