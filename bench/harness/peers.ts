/**
 * The peers, loaded once into this process: TensorFlow.js (the @tensorflow/tfjs package, whose CommonJS build
 * registers every gradient, with its cpu backend and the wasm backend, which in Node runs one thread) and
 * convnetjs. Only one tfjs backend is active at a time, so a tfjs subject switches to its own before each run
 * (outside the timed region) and keeps all its tensors on that backend, so no data moves between backends.
 * @module
 */
import { createRequire } from 'node:module';
import type * as TF from '@tensorflow/tfjs';

const require = createRequire(import.meta.url);

export type Tf = typeof TF;
export type TfBackend = 'cpu' | 'wasm';

/** The few parts of convnetjs the benchmarks use (it ships no types). Volumes index ((sx·y) + x)·depth + d. */
export interface ConvnetVol {
  sx: number;
  sy: number;
  depth: number;
  w: Float64Array;
}
export interface ConvnetLayer {
  layer_type: string;
  filters?: ConvnetVol[];
  biases?: ConvnetVol;
  forward(v: ConvnetVol, isTraining?: boolean): ConvnetVol;
}
export interface ConvnetNet {
  layers: ConvnetLayer[];
  makeLayers(defs: object[]): void;
  forward(v: ConvnetVol, isTraining?: boolean): ConvnetVol;
}
export interface ConvnetTrainer {
  train(x: ConvnetVol, y: number): { cost_loss: number; loss: number };
}
export interface ConvnetJs {
  Vol: new (sx: number, sy: number, depth: number, fill?: number) => ConvnetVol;
  Net: new () => ConvnetNet;
  Trainer: new (net: ConvnetNet, options: object) => ConvnetTrainer;
  ConvLayer: new (options: object) => ConvnetLayer;
  FullyConnLayer: new (options: object) => ConvnetLayer;
}

export interface Peers {
  tf: Tf;
  /** Why the wasm backend could not start, or null when it did. */
  wasmError: string | null;
  wasmThreads: number | null;
  convnetjs: ConvnetJs;
}

export async function loadPeers(): Promise<Peers> {
  const tf = require('@tensorflow/tfjs') as Tf;
  const wasm = require('@tensorflow/tfjs-backend-wasm') as { getThreadsCount(): number };
  const convnetjs = require('convnetjs') as ConvnetJs;
  await tf.setBackend('cpu');
  // The cpu backend prints an advert for tfjs-node on its first write; it is noise in a benchmark report.
  (tf.backend() as unknown as { firstUse: boolean }).firstUse = false;
  let wasmError: string | null = null;
  let wasmThreads: number | null = null;
  try {
    if (!(await tf.setBackend('wasm'))) wasmError = 'the wasm backend did not initialise';
    else wasmThreads = wasm.getThreadsCount();
  } catch (e) {
    wasmError = e instanceof Error ? e.message : String(e);
  }
  await tf.setBackend('cpu');
  return { tf, wasmError, wasmThreads, convnetjs };
}

/** Makes `backend` tfjs's active one (a no-op when it already is). */
export async function useBackend(tf: Tf, backend: TfBackend): Promise<void> {
  if (tf.getBackend() !== backend && !(await tf.setBackend(backend))) {
    throw new Error(`tfjs: could not switch to the ${backend} backend`);
  }
}

export function errorMessage(e: unknown): string {
  const text = e instanceof Error ? e.message : String(e);
  return text.split('\n')[0].slice(0, 200);
}
