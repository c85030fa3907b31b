/**
 * Checkpoints cross between the browser and Node. The demo's worker trains a few steps in Chromium; its checkpoint,
 * downloaded (Playwright's download event) and saved in IndexedDB, restores in Node to a model that gives the page's
 * predictions exactly and whose weights equal Node's own replay of those steps. A checkpoint saved in Node loads in
 * the page (file input, and IndexedDB) and the page then shows Node's predictions, and continues training as Node
 * does.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { DB_NAME, KEY, STORE } from '../../examples/browser/src/storage.js';
import { Trainer, decodeDigits, type Digits, type Lib } from '../../examples/browser/src/trainer.js';
import { type PageLog, cspViolations, demoDigits, ensureOutDir, nodeLibrary, run, type OpenDemo, openDemo } from './harness.js';

/** The gallery as the page shows it: the step of the model and each digit's 10 probabilities. */
async function pageGallery(page: Page): Promise<{ step: number; probabilities: number[][] }> {
  return page.$eval('#gallery', (ol) => ({
    step: Number((ol as HTMLElement).dataset.step),
    probabilities: [...ol.querySelectorAll('li')].map((li) => JSON.parse(li.dataset.probabilities!) as number[]),
  }));
}

/** Node's probabilities for the page's gallery digits (the first 12 of the test split). */
function nodeGallery(trainer: Trainer): number[][] {
  const { pixels } = trainer.testImages(12);
  const p = trainer.predict(pixels);
  return Array.from({ length: 12 }, (_, i) => Array.from(p.subarray(10 * i, 10 * i + 10)));
}

/** The model tensors of a checkpoint, as bytes by name. */
function modelBytes(tg: Lib, checkpoint: Uint8Array): Record<string, Buffer> {
  const model = tg.io.loadCheckpoint(checkpoint).model!;
  return Object.fromEntries(Object.entries(model).map(([k, t]) => [k, Buffer.from(t.data.buffer, t.data.byteOffset, t.data.byteLength)]));
}

async function trainInPage(page: Page, untilStep: number): Promise<void> {
  await page.click('#start');
  await page.waitForFunction((n) => Number(document.getElementById('stats')!.dataset.step) >= n, untilStep, { timeout: 120_000 });
  await page.click('#start');
  await page.waitForSelector('body[data-state="stopped"]');
}

describe('checkpoints between Chromium and Node', () => {
  let demo: OpenDemo;
  let page: Page;
  let log: PageLog;
  let tg: Lib;
  let digits: Digits;
  let downloaded: Uint8Array;
  let browserStep = 0;

  beforeAll(async () => {
    tg = await nodeLibrary();
    digits = decodeDigits(demoDigits());
    demo = await openDemo();
    ({ page, log } = demo);
    await trainInPage(page, 8);
    browserStep = Number(await page.getAttribute('#stats', 'data-step'));
    // Stopping refreshes the gallery with the stopped model.
    await page.waitForSelector(`#gallery[data-step="${browserStep}"]`);
  });

  afterAll(async () => {
    await demo?.close();
  });

  it('a downloaded checkpoint restores in Node: same predictions, and the weights of Node\'s own replay', async () => {
    const [download] = await Promise.all([page.waitForEvent('download'), page.click('#download')]);
    expect(download.suggestedFilename()).toBe(`tapegrad-mnist-step-${browserStep}.safetensors`);
    downloaded = new Uint8Array(readFileSync((await download.path())!));
    const saved = join(ensureOutDir(), download.suggestedFilename());
    await download.saveAs(saved);

    const restored = new Trainer(tg, digits);
    expect(restored.restore(downloaded)).toEqual({ step: browserStep, epoch: 0 });
    const shown = await pageGallery(page);
    expect(shown.step).toBe(browserStep);
    expect(nodeGallery(restored)).toEqual(shown.probabilities);

    // Node trains the same number of steps from the same seed: the browser's weights, bit for bit.
    const replay = new Trainer(tg, digits);
    for (let i = 0; i < browserStep; i++) replay.trainStep();
    expect(modelBytes(tg, replay.checkpoint())).toEqual(modelBytes(tg, downloaded));
    // ...and a different step count does not match (so the comparison can fail).
    replay.trainStep();
    expect(modelBytes(tg, replay.checkpoint())).not.toEqual(modelBytes(tg, downloaded));
  });

  it('a checkpoint saved in IndexedDB restores in Node with the same predictions', async () => {
    await page.click('#save-browser');
    await page.waitForSelector(`#checkpoint-status[data-saved-step="${browserStep}"]`);
    const stored = await run<{ bytes: number[]; step: number }>(page, `
      const db = await new Promise((ok, fail) => { const r = indexedDB.open(${JSON.stringify(DB_NAME)}); r.onsuccess = () => ok(r.result); r.onerror = () => fail(r.error); });
      const record = await new Promise((ok, fail) => {
        const r = db.transaction(${JSON.stringify(STORE)}).objectStore(${JSON.stringify(STORE)}).get(${JSON.stringify(KEY)});
        r.onsuccess = () => ok(r.result); r.onerror = () => fail(r.error);
      });
      db.close();
      return { bytes: Array.from(new Uint8Array(record.bytes)), step: record.step };`);
    expect(stored.step).toBe(browserStep);
    const bytes = Uint8Array.from(stored.bytes);
    // The same training state, saved twice: the same bytes.
    expect(Buffer.from(bytes).equals(Buffer.from(downloaded))).toBe(true);
    const restored = new Trainer(tg, digits);
    restored.restore(bytes);
    expect(nodeGallery(restored)).toEqual((await pageGallery(page)).probabilities);
  });

  it('a checkpoint saved in Node loads in the page from a file: the page shows Node\'s predictions', async () => {
    const node = new Trainer(tg, digits);
    for (let i = 0; i < 3; i++) node.trainStep();
    const file = join(ensureOutDir(), 'node-step-3.safetensors');
    writeFileSync(file, node.checkpoint());
    await page.setInputFiles('#load-file', file);
    await page.waitForSelector('#checkpoint-status[data-loaded-step="3"]');
    await page.waitForSelector('#gallery[data-step="3"]');
    expect((await pageGallery(page)).probabilities).toEqual(nodeGallery(node));
    expect(Number(await page.getAttribute('#stats', 'data-step'))).toBe(3);

    // Training goes on in the page from Node's state exactly as it goes on in Node.
    await trainInPage(page, 6);
    const step = Number(await page.getAttribute('#stats', 'data-step'));
    const [download] = await Promise.all([page.waitForEvent('download'), page.click('#download')]);
    const continued = new Uint8Array(readFileSync((await download.path())!));
    while (node.step < step) node.trainStep();
    expect(modelBytes(tg, continued)).toEqual(modelBytes(tg, node.checkpoint()));
  });

  it('a checkpoint saved in Node loads in the page from IndexedDB', async () => {
    const node = new Trainer(tg, digits);
    for (let i = 0; i < 2; i++) node.trainStep();
    const bytes = Array.from(node.checkpoint());
    await run(page, `
      const db = await new Promise((ok, fail) => { const r = indexedDB.open(${JSON.stringify(DB_NAME)}); r.onsuccess = () => ok(r.result); r.onerror = () => fail(r.error); });
      await new Promise((ok, fail) => {
        const tx = db.transaction(${JSON.stringify(STORE)}, 'readwrite');
        tx.objectStore(${JSON.stringify(STORE)}).put({ bytes: new Uint8Array(${JSON.stringify(bytes)}).buffer, step: 2, epoch: 0, savedAt: 'node' }, ${JSON.stringify(KEY)});
        tx.oncomplete = ok; tx.onerror = () => fail(tx.error);
      });
      db.close();`);
    await page.click('#load-browser');
    await page.waitForSelector('#checkpoint-status[data-loaded-step="2"]');
    await page.waitForSelector('#gallery[data-step="2"]');
    expect((await pageGallery(page)).probabilities).toEqual(nodeGallery(node));
  });

  it('logged no errors and hit no Content-Security-Policy violations', async () => {
    expect(await cspViolations(page)).toEqual([]);
    expect(log.errors).toEqual([]);
  });
});
