/** The messages between the page (main.ts) and the training worker (worker.ts). */

/** Page → worker. */
export type ToWorker =
  | { type: 'start' }
  | { type: 'stop' }
  | { type: 'reset' }
  /** 784 pixels in [0, 1] of the digit drawn on the pad; `id` pairs the answer with the request. */
  | { type: 'predict'; id: number; pixels: Float32Array }
  | { type: 'save' }
  | { type: 'load'; bytes: Uint8Array };

/** The test digits shown on the page with the model's probabilities for each (10 per digit, row by row). */
export interface GalleryState {
  step: number;
  probabilities: Float32Array;
}

/** Worker → page. */
export type FromWorker =
  | {
      type: 'ready';
      stepsPerEpoch: number;
      totalSteps: number;
      epochs: number;
      trainSize: number;
      testSize: number;
      /** The gallery's digits: n × 784 pixels and n labels. */
      galleryPixels: Float32Array;
      galleryLabels: number[];
      gallery: GalleryState;
    }
  | { type: 'progress'; step: number; epoch: number; loss: number; accuracy: number }
  /** Test accuracy on `size` held-out digits after `step` steps, and the gallery's new probabilities. */
  | { type: 'evaluation'; step: number; accuracy: number; size: number; gallery: GalleryState }
  | { type: 'state'; running: boolean; done: boolean; step: number; epoch: number }
  | { type: 'prediction'; id: number; step: number; probabilities: Float32Array }
  | { type: 'checkpoint'; step: number; epoch: number; bytes: Uint8Array }
  | { type: 'loaded'; step: number; epoch: number }
  | { type: 'error'; message: string };
