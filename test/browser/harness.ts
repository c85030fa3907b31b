/**
 * What the browser specs share: Debian's Chromium driven by playwright-core (headless, a fresh profile per launch),
 * the demo's static server on 127.0.0.1 at a free port, a watch on everything the page and its workers log, and
 * the library as Node users import it (dist/index.js), to compare with the browser bundle.
 */
import { mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { chromium, type BrowserContext, type Page, type Worker } from 'playwright-core';
import { startServer, type DemoServer } from '../../examples/browser/serve.js';
import { digitsPath } from '../../examples/browser/build.js';
import type { Lib } from '../../examples/browser/src/trainer.js';

export const rootDir = fileURLToPath(new URL('../..', import.meta.url));
/** Screenshots and files the specs write (git-ignored). */
export const outDir = join(rootDir, 'test', 'browser', 'out');
export const executablePath = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
export const chromiumArgs = [
  '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync',
  '--no-first-run', '--disable-quic',
];

export interface Browser {
  context: BrowserContext;
  close(): Promise<void>;
}

/** Launches headless Chromium with a new, empty user-data-dir, removed again by close(). */
export async function launchBrowser(): Promise<Browser> {
  const userDataDir = mkdtempSync(join(tmpdir(), 'tapegrad-chromium-'));
  const context = await chromium.launchPersistentContext(userDataDir, {
    executablePath, headless: true, args: chromiumArgs, acceptDownloads: true, viewport: { width: 1280, height: 1000 },
  });
  return {
    context,
    async close() {
      await context.close();
      rmSync(userDataDir, { recursive: true, force: true });
    },
  };
}

/** The demo's server (the specs' global setup has built the demo). */
export function startDemo(): Promise<DemoServer> {
  return startServer({ host: '127.0.0.1', port: 0 });
}

export interface PageLog {
  /** Console errors of the page and its workers, uncaught exceptions, failed and non-2xx requests. */
  errors: string[];
  warnings: string[];
  /** The path of every request made by the page and its workers, in order. */
  requests: string[];
}

/**
 * Records everything that went wrong on `page` (call before navigating). Content-Security-Policy violations reach
 * the console as errors in Chromium; they are also collected from `securitypolicyviolation` events (see
 * {@link cspViolations}).
 */
export async function watchPage(page: Page): Promise<PageLog> {
  const log: PageLog = { errors: [], warnings: [], requests: [] };
  const onConsole = (where: string) => (msg: { type(): string; text(): string }) => {
    if (msg.type() === 'error') log.errors.push(`${where} console.error: ${msg.text()}`);
    else if (msg.type() === 'warning') log.warnings.push(`${where} console.warn: ${msg.text()}`);
  };
  page.on('console', onConsole('page'));
  page.on('worker', (worker) => worker.on('console', onConsole(`worker ${worker.url()}`)));
  page.on('request', (r) => {
    if (!r.url().startsWith('blob:')) log.requests.push(new URL(r.url()).pathname);
  });
  page.on('pageerror', (e) => log.errors.push(`page error: ${e.message}`));
  page.on('requestfailed', (r) => {
    // A download's Blob URL is handed to the download manager, which Chromium reports as an aborted request.
    if (!r.url().startsWith('blob:')) log.errors.push(`request failed: ${r.url()} (${r.failure()?.errorText})`);
  });
  page.on('response', (r) => {
    if (r.status() >= 400) log.errors.push(`HTTP ${r.status()}: ${r.url()}`);
  });
  await page.addInitScript(() => {
    const w = window as unknown as { cspViolations: string[] };
    w.cspViolations = [];
    document.addEventListener('securitypolicyviolation', (e) => {
      w.cspViolations.push(`${e.violatedDirective} blocked ${e.blockedURI || 'inline'} (${e.sourceFile}:${e.lineNumber})`);
    });
  });
  return log;
}

/** The `securitypolicyviolation` events the page's document has seen. */
export function cspViolations(page: Page): Promise<string[]> {
  return page.evaluate(() => (window as unknown as { cspViolations: string[] }).cspViolations);
}

/** tapegrad as Node imports it: the built dist/index.js (the same build as the browser bundle). */
export async function nodeLibrary(): Promise<Lib> {
  return (await import(pathToFileURL(join(rootDir, 'dist', 'index.js')).href)) as Lib;
}

export function ensureOutDir(): string {
  mkdirSync(outDir, { recursive: true });
  return outDir;
}

/** The demo served, Chromium launched, and a watched page on the demo, ready to train. */
export interface OpenDemo {
  server: DemoServer;
  browser: Browser;
  page: Page;
  log: PageLog;
  /** Closes the browser, then the server. */
  close(): Promise<void>;
}

/** Serves the demo, opens it in a fresh headless Chromium and waits until its worker is ready. */
export async function openDemo(): Promise<OpenDemo> {
  const server = await startDemo();
  const browser = await launchBrowser();
  const page = await browser.context.newPage();
  const log = await watchPage(page);
  await page.goto(server.url);
  await waitForDemoReady(page);
  return {
    server, browser, page, log,
    close: async () => {
      await browser.close();
      await server.close();
    },
  };
}

/** Waits for the demo's worker to have loaded the digits and built the model. */
export async function waitForDemoReady(page: Page): Promise<void> {
  await page.waitForSelector('body[data-state="stopped"]', { timeout: 60_000 });
}

/**
 * Evaluates `body` (the statements of an async function, as source text) in the page or a worker and returns its
 * result. Source text, not a function: vitest rewrites `import()` in test files, which the browser cannot run.
 */
export function run<T>(target: Page | Worker, body: string): Promise<T> {
  const expression = `(async () => { ${body} })()`;
  return ('mainFrame' in target ? target.evaluate(expression) : target.evaluate(expression)) as Promise<T>;
}

/** The digits.bin the demo serves, as Node reads it. */
export function demoDigits(): Uint8Array {
  return new Uint8Array(readFileSync(digitsPath));
}
