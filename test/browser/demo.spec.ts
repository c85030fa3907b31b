/**
 * The MNIST demo in Chromium, under its strict Content-Security-Policy: it loads, trains in its worker while the
 * page stays responsive, the loss falls, a digit drawn with the mouse gets a prediction, and nothing is logged as
 * an error or refused by the policy. Leaves a screenshot in test/browser/out/.
 */
import { existsSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { CONTENT_SECURITY_POLICY, type DemoServer } from '../../examples/browser/serve.js';
import { type Browser, type PageLog, cspViolations, ensureOutDir, launchBrowser, startDemo, waitForDemoReady, watchPage } from './harness.js';

const STEPS = 15;

describe('MNIST demo page', () => {
  let server: DemoServer;
  let browser: Browser;
  let page: Page;
  let log: PageLog;
  const timings: string[] = [];
  let t0 = 0;
  const lap = (what: string) => {
    const now = performance.now();
    timings.push(`${what}: ${((now - t0) / 1000).toFixed(1)} s`);
    t0 = now;
  };

  beforeAll(async () => {
    t0 = performance.now();
    server = await startDemo();
    browser = await launchBrowser();
    page = await browser.context.newPage();
    log = await watchPage(page);
    lap('launch');
  });

  afterAll(async () => {
    await browser?.close();
    await server?.close();
    console.log(`demo timings: ${timings.join(', ')}`);
    if (log?.warnings.length) console.log(`warnings:\n${log.warnings.join('\n')}`);
  });

  it('loads under the strict Content-Security-Policy, the library bundle in the page and in a module worker', async () => {
    const response = await page.goto(server.url);
    expect(response?.status()).toBe(200);
    expect(response?.headers()['content-security-policy']).toBe(CONTENT_SECURITY_POLICY);
    const meta = await page.locator('meta[http-equiv="Content-Security-Policy"]').getAttribute('content');
    expect(meta).toBe(CONTENT_SECURITY_POLICY);
    await waitForDemoReady(page);
    lap('page ready (digits loaded, model built)');
    expect(page.workers().map((w) => new URL(w.url()).pathname)).toEqual(['/worker.js']);
    expect(log.requests).toEqual(expect.arrayContaining(['/', '/style.css', '/main.js', '/tapegrad.min.js', '/worker.js', '/trainer.js', '/digits.bin']));
    // The page and the worker each import the bundle (two requests, as no-store forbids caching).
    expect(log.requests.filter((p) => p === '/tapegrad.min.js')).toHaveLength(2);
    // The model description comes from nn.summary run on the page's own thread.
    await expect.poll(() => page.textContent('#model')).toMatch(/parameters/);
    expect(await page.locator('#gallery li').count()).toBe(12);
  });

  it(`trains ${STEPS} batches in the worker while the page stays responsive, and the loss falls`, async () => {
    await page.click('#start');
    await page.waitForSelector('body[data-state="running"]');
    // While the worker trains, the page's own thread must stay free: timers fire on time.
    const lateness = await page.evaluate(async () => {
      let worst = 0;
      const end = performance.now() + 1500;
      while (performance.now() < end) {
        const t = performance.now();
        await new Promise((resolve) => setTimeout(resolve, 10));
        worst = Math.max(worst, performance.now() - t - 10);
      }
      return worst;
    });
    expect(lateness).toBeLessThan(200);
    await page.waitForFunction((n) => Number(document.getElementById('stats')!.dataset.step) >= n, STEPS, { timeout: 120_000 });
    await page.click('#start'); // now labelled Stop
    await page.waitForSelector('body[data-state="stopped"]');
    lap(`${STEPS}+ training steps`);
    const stats = await page.locator('#stats').evaluate((el) => ({ ...(el as HTMLElement).dataset }));
    const first = Number(stats.firstLoss);
    const last = Number(stats.lastLoss);
    // Before training the network's outputs are near uniform over 10 classes: cross-entropy ≈ ln 10 ≈ 2.30. The first
    // five batches (the first four updates are small, Adam lr 2e-3) stay near it.
    expect(Math.abs(first - Math.log(10))).toBeLessThan(0.5);
    expect(last).toBeLessThan(0.8 * first);
    expect(Number(stats.step)).toBeGreaterThanOrEqual(STEPS);
    expect(await page.locator('#progress').evaluate((el) => (el as HTMLProgressElement).value)).toBeGreaterThan(0);
    // Stopping measured the test accuracy; after this many steps it is well above chance (10%).
    expect(Number(stats.testAccuracy)).toBeGreaterThan(0.2);
  });

  it('predicts a digit drawn on the pad with the mouse', async () => {
    const pad = (await page.locator('#pad').boundingBox())!;
    // A "7": a top bar, then a diagonal down to the bottom left.
    const at = (fx: number, fy: number) => [pad.x + fx * pad.width, pad.y + fy * pad.height] as const;
    await page.mouse.move(...at(0.25, 0.22));
    await page.mouse.down();
    for (const [fx, fy] of [[0.5, 0.22], [0.75, 0.22], [0.62, 0.5], [0.5, 0.78]] as const) await page.mouse.move(...at(fx, fy), { steps: 8 });
    await page.mouse.up();
    await page.waitForSelector('#prediction[data-digit]');
    const digit = Number(await page.getAttribute('#prediction', 'data-digit'));
    const probabilities = await page.$$eval('#probabilities li', (items) => items.map((li) => Number((li as HTMLElement).dataset.probability)));
    expect(probabilities).toHaveLength(10);
    for (const p of probabilities) expect(p >= 0 && p <= 1).toBe(true);
    // A softmax: the probabilities sum to 1 (float32 rounding of ten terms stays within 1e-5).
    expect(Math.abs(probabilities.reduce((a, b) => a + b, 0) - 1)).toBeLessThan(1e-5);
    expect(digit).toBe(probabilities.indexOf(Math.max(...probabilities)));
    expect(await page.textContent('#prediction')).toBe(String(digit));
  });

  it('saves a screenshot', async () => {
    const file = join(ensureOutDir(), 'mnist-demo.png');
    await page.screenshot({ path: file, fullPage: true });
    expect(existsSync(file)).toBe(true);
    expect(statSync(file).size).toBeGreaterThan(10_000);
    expect([...readFileSync(file).subarray(1, 4)].map((c) => String.fromCharCode(c)).join('')).toBe('PNG');
  });

  it('logged no errors and hit no Content-Security-Policy violations', async () => {
    expect(await cspViolations(page)).toEqual([]);
    expect(log.errors).toEqual([]);
  });
});
