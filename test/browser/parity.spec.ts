/**
 * The same seed gives the same weights in Chromium as in Node, bit for bit: the browser bundle on the page's thread
 * and in the demo's module worker against dist/index.js in Node, for a small MLP (examples/browser/src/parity.ts)
 * and for the demo's CNN on real digits (examples/browser/src/trainer.ts).
 */
import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { tinyRun } from '../../examples/browser/src/parity.js';
import { Trainer, decodeDigits, type Lib } from '../../examples/browser/src/trainer.js';
import { type PageLog, demoDigits, nodeLibrary, run, type OpenDemo, openDemo } from './harness.js';

const sha256 = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');

// Runs in the browser (source text; see harness.run). `lib` and `parity` are module URLs on the demo's server.
const TINY_RUN = (steps: number) => `
  const tg = await import(new URL('/tapegrad.min.js', location.href).href);
  const { tinyRun } = await import(new URL('/parity.js', location.href).href);
  return Array.from(tinyRun(tg, 7, ${steps}));`;
const CNN_RUN = (steps: number) => `
  const tg = await import(new URL('/tapegrad.min.js', location.href).href);
  const { Trainer, decodeDigits } = await import(new URL('/trainer.js', location.href).href);
  const bytes = new Uint8Array(await (await fetch(new URL('/digits.bin', location.href))).arrayBuffer());
  const trainer = new Trainer(tg, decodeDigits(bytes));
  const losses = [];
  for (let i = 0; i < ${steps}; i++) losses.push(trainer.trainStep().loss);
  return { state: Array.from(tg.io.saveSafetensors(trainer.model.stateDict())), losses };`;

describe('bit-for-bit agreement of Chromium and Node', () => {
  let demo: OpenDemo;
  let page: Page;
  let log: PageLog;
  let tg: Lib;

  beforeAll(async () => {
    tg = await nodeLibrary();
    demo = await openDemo();
    ({ page, log } = demo);
  });

  afterAll(async () => {
    await demo?.close();
  });

  it('a small MLP (init, randn, dropout, shuffling, Adam) trains to the same bytes on the page and in Node', async () => {
    const inNode = tinyRun(tg, 7, 6);
    const inPage = Uint8Array.from(await run<number[]>(page, TINY_RUN(6)));
    expect(sha256(inPage)).toBe(sha256(inNode));
    expect(Buffer.from(inPage).equals(Buffer.from(inNode))).toBe(true);
    // The comparison can fail: one step fewer gives other weights.
    const fewer = tinyRun(tg, 7, 5);
    expect(Buffer.from(fewer).equals(Buffer.from(inNode))).toBe(false);
    // And the bytes hold what they should: the six tensors of the MLP's state dict.
    expect(Object.keys(tg.io.loadSafetensors(inPage)).sort()).toEqual(['0.bias', '0.weight', '3.bias', '3.weight', '5.bias', '5.weight']);
  });

  it('the same run in the demo\'s module worker gives the same bytes', async () => {
    const worker = page.workers()[0];
    expect(new URL(worker.url()).pathname).toBe('/worker.js');
    const inWorker = Uint8Array.from(await run<number[]>(worker, TINY_RUN(6)));
    expect(sha256(inWorker)).toBe(sha256(tinyRun(tg, 7, 6)));
  });

  it('the demo\'s CNN trained 4 steps on the same digits: same losses and weights on the page and in Node', async () => {
    const trainer = new Trainer(tg, decodeDigits(demoDigits()));
    const losses: number[] = [];
    for (let i = 0; i < 4; i++) losses.push(trainer.trainStep().loss);
    const inNode = tg.io.saveSafetensors(trainer.model.stateDict());
    const inPage = await run<{ state: number[]; losses: number[] }>(page, CNN_RUN(4));
    expect(inPage.losses).toEqual(losses);
    expect(sha256(Uint8Array.from(inPage.state))).toBe(sha256(inNode));
  });

  it('logged no errors', () => {
    expect(log.errors).toEqual([]);
  });
});
