/**
 * The strict Content-Security-Policy is really in force on the demo (so that the demo passing under it means the
 * library needs no eval and nothing inline): the server sends it with every response, and Chromium refuses —
 * and reports — an inline script, an inline style attribute and eval, in the page and in the worker.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { CONTENT_SECURITY_POLICY } from '../../examples/browser/serve.js';
import { makeModel } from '../../examples/browser/src/trainer.js';
import { type PageLog, cspViolations, nodeLibrary, run, type OpenDemo, openDemo } from './harness.js';

// Code evaluated through the DevTools protocol may eval; code the page runs later (a timer callback) may not.
const TRY_EVAL = `return await new Promise((resolve) => setTimeout(() => {
  try { resolve(String(eval('6 * 7'))); } catch (e) { resolve(e.name); }
}, 0));`;
const TRY_FUNCTION = `return await new Promise((resolve) => setTimeout(() => {
  try { resolve(String(new Function('return 6 * 7')())); } catch (e) { resolve(e.name); }
}, 0));`;

describe('the strict Content-Security-Policy', () => {
  let demo: OpenDemo;
  let page: Page;
  let log: PageLog;

  beforeAll(async () => {
    demo = await openDemo();
    ({ page, log } = demo);
  });

  afterAll(async () => {
    await demo?.close();
  });

  it('is sent with every response, and nothing outside the demo is served', async () => {
    for (const [path, status, type] of [
      ['/', 200, 'text/html'], ['/main.js', 200, 'text/javascript'], ['/worker.js', 200, 'text/javascript'],
      ['/tapegrad.min.js', 200, 'text/javascript'], ['/digits.bin', 200, 'application/octet-stream'], ['/style.css', 200, 'text/css'],
      ['/nope.js', 404, 'text/plain'], ['/build.ts', 404, 'text/plain'], ['/..%2Fpackage.json', 404, 'text/plain'], ['/src/main.ts', 404, 'text/plain'],
    ] as const) {
      const response = await fetch(new URL(path, demo.server.url));
      expect([path, response.status]).toEqual([path, status]);
      expect(response.headers.get('content-security-policy')).toBe(CONTENT_SECURITY_POLICY);
      expect(response.headers.get('content-type')).toContain(type);
      await response.arrayBuffer();
    }
  });

  it('refuses eval and new Function on the page and in the module worker', async () => {
    for (const target of [page, page.workers()[0]]) {
      expect(await run(target, TRY_EVAL)).toBe('EvalError');
      expect(await run(target, TRY_FUNCTION)).toBe('EvalError');
    }
    // The page's two refusals are reported as violations of both its policies (the header's and the <meta> tag's),
    // and the page shows each one as an error; the worker, under the header's policy only, reports its two to the
    // page, which shows them too. (Chromium itself logs no console message for a refused eval.)
    expect((await cspViolations(page)).filter((v) => v.startsWith('script-src blocked eval'))).toHaveLength(4);
    const errors = log.errors.filter((e) => e.includes('refused eval'));
    expect(errors.filter((e) => e.startsWith('page console.error: the Content-Security-Policy refused eval (script-src)'))).toHaveLength(4);
    expect(errors.filter((e) => e.startsWith('page console.error: training worker: the Content-Security-Policy refused eval (script-src)'))).toHaveLength(2);
    expect(errors).toHaveLength(6);
  });

  it('refuses an inline script and an inline style, and reports both', async () => {
    const before = (await cspViolations(page)).length;
    const errorsBefore = log.errors.length;
    const ran = await run<boolean>(page, `
      const script = document.createElement('script');
      script.textContent = 'window.inlineRan = true;';
      document.head.append(script);
      const p = document.createElement('p');
      p.setAttribute('style', 'color: red');
      document.body.append(p);
      await new Promise((resolve) => setTimeout(resolve, 100));
      const red = getComputedStyle(p).color === 'rgb(255, 0, 0)';
      p.remove();
      return window.inlineRan === true || red;`);
    expect(ran).toBe(false);
    const violations = (await cspViolations(page)).slice(before);
    // Each refusal is reported once per policy: the header's and the <meta> tag's.
    expect(violations.map((v) => v.split(' ')[0])).toEqual(['script-src-elem', 'script-src-elem', 'style-src-attr', 'style-src-attr']);
    for (const v of violations) expect(v).toContain('blocked inline');
    // Chromium logs each refusal as a console error, and so does the page: how the other specs would see one.
    const errors = log.errors.slice(errorsBefore);
    expect(errors.filter((e) => /^page console.error: (Executing inline script|Applying inline style) violates the following Content Security Policy/.test(e))).toHaveLength(4);
    expect(errors.filter((e) => /^page console.error: the Content-Security-Policy refused inline \((script-src-elem|style-src-attr)\)/.test(e))).toHaveLength(4);
    expect(errors).toHaveLength(8);
  });

  // The minified bundle renames classes (keepNames is off in tsup.config.ts): the layers state their names in
  // describe(), or a model would print as "Ut(8, ...) → jt → ..." in the browser.
  it('the browser bundle names layers as Node does (model.toString(), nn.summary)', async () => {
    const tg = await nodeLibrary();
    const inNode = makeModel(tg).toString();
    const inPage = await run<string>(page, `
      const tg = await import(new URL('/tapegrad.min.js', location.href).href);
      const { makeModel } = await import(new URL('/trainer.js', location.href).href);
      return makeModel(tg).toString();`);
    expect(inNode).toContain('BatchNorm2d(8');
    expect(inPage).toBe(inNode);
  });
});
