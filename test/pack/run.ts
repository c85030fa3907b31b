/**
 * The packaging check (`npm run test:pack`): what a user gets from `npm install tapegrad`, tested on the real
 * tarball rather than on the repository.
 *
 * 1. Builds dist/ when it is missing or older than its sources (`--build` forces it, `--no-build` forbids it), and
 *    checks the minified browser bundle stays under the limit tsup.config.ts enforces.
 * 2. `npm pack`s into a temporary directory and lints the tarball with publint and @arethetypeswrong/cli: any
 *    message from either fails.
 * 3. Installs the tarball into a scratch project (its dependencies from the registry or the npm cache) and checks
 *    that neither tapegrad nor anything it pulls in has install scripts or native code.
 * 4. In that project, as child processes: an ES module and a CommonJS script that train a tiny model and use the
 *    `tapegrad/ndarray` and `tapegrad/node` entries, an ES module that trains with the `tapegrad/browser` bundle
 *    (the three must agree bit for bit), and a TypeScript file typechecked with this repository's tsc under
 *    moduleResolution node16 (as ESM and as CJS) and bundler, strict, without skipLibCheck.
 *
 * Prints each check with its time; exits 1 if any fails. `--keep` leaves the temporary directory in place.
 */
import { spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { publint } from 'publint';
import { formatMessage } from 'publint/utils';
import { BROWSER_BUNDLE, BROWSER_BUNDLE_LIMIT } from '../../tsup.config.js';

const HERE = dirname(fileURLToPath(import.meta.url));
const ROOT = resolve(HERE, '../..');
const FIXTURES = join(HERE, 'fixtures');
const args = new Set(process.argv.slice(2));

/** What `npm run build` must leave behind; the package's exports point at these. */
const BUILD_OUTPUTS = [
  ...['index', 'ndarray', 'node'].flatMap((name) => ['.js', '.cjs', '.d.ts', '.d.cts'].map((ext) => `dist/${name}${ext}`)),
  BROWSER_BUNDLE,
];
/** Lifecycle scripts that run when a package is installed (prepare also runs for git and local installs). */
const INSTALL_SCRIPTS = ['preinstall', 'install', 'postinstall', 'prepare'];

class CheckFailure extends Error {}

function fail(message: string): never {
  throw new CheckFailure(message);
}

interface Ran {
  status: number | null;
  stdout: string;
  stderr: string;
}

/**
 * Runs a child process to completion. npm's per-script variables are dropped so that npm commands run here act
 * on the directory they are started in, not on the repository `npm run test:pack` was started from.
 */
function run(command: string, argv: string[], cwd: string, timeoutMs = 120_000): Ran {
  const env: NodeJS.ProcessEnv = {};
  for (const [key, value] of Object.entries(process.env)) {
    if (/^(npm_(package|lifecycle|command)|npm_config_local_prefix$|INIT_CWD$)/i.test(key)) continue;
    env[key] = value;
  }
  const r = spawnSync(command, argv, { cwd, env, encoding: 'utf8', timeout: timeoutMs, maxBuffer: 64 * 1024 * 1024 });
  if (r.error) fail(`${command} ${argv.join(' ')}: ${r.error.message}`);
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** Runs a child process that must exit 0, failing with its output otherwise. */
function runOk(what: string, command: string, argv: string[], cwd: string, timeoutMs?: number): Ran {
  const r = run(command, argv, cwd, timeoutMs);
  if (r.status !== 0) {
    const output = `${r.stdout}\n${r.stderr}`.split('\n').filter((line) => line.trim() && !/^npm warn Unknown (user|env) config/.test(line));
    fail(`${what} exited with ${r.status}:\n${output.map((line) => `    ${line}`).join('\n')}`);
  }
  return r;
}

const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
const results: Array<{ name: string; ok: boolean }> = [];

/** Runs one check, prints its outcome and time; a fatal check that fails stops the run. */
async function check(name: string, body: () => string | Promise<string>, fatal = false): Promise<void> {
  const start = performance.now();
  let ok = true;
  let detail: string;
  try {
    detail = await body();
  } catch (error) {
    ok = false;
    detail = error instanceof CheckFailure ? error.message : (error instanceof Error ? error.stack ?? error.message : String(error));
  }
  const seconds = ((performance.now() - start) / 1000).toFixed(1);
  results.push({ name, ok });
  console.log(`${ok ? 'ok  ' : 'FAIL'} ${name} (${seconds} s)${detail ? `\n     ${detail.replace(/\n/g, '\n     ')}` : ''}`);
  if (!ok && fatal) finish();
}

let workDir: string | undefined;
const started = performance.now();

function finish(): never {
  if (workDir) {
    if (args.has('--keep')) console.log(`kept ${workDir}`);
    else rmSync(workDir, { recursive: true, force: true });
  }
  const failed = results.filter((r) => !r.ok);
  const total = ((performance.now() - started) / 1000).toFixed(1);
  console.log(failed.length === 0
    ? `\npackaging: all ${results.length} checks passed in ${total} s`
    : `\npackaging: ${failed.length} of ${results.length} checks FAILED (${failed.map((r) => r.name).join('; ')}) in ${total} s`);
  process.exit(failed.length === 0 ? 0 : 1);
}

function newestMtime(path: string): number {
  const stat = statSync(path);
  if (!stat.isDirectory()) return stat.mtimeMs;
  return readdirSync(path).reduce((newest, name) => Math.max(newest, newestMtime(join(path, name))), stat.mtimeMs);
}

function readJson(path: string): Record<string, any> {
  return JSON.parse(readFileSync(path, 'utf8')) as Record<string, any>;
}

function kb(bytes: number): string {
  return `${(bytes / 1000).toFixed(1)} kB`;
}

/** The last line of a child's stdout, which the fixtures print as JSON. */
function lastJsonLine(stdout: string, what: string): Record<string, any> {
  const line = stdout.trim().split('\n').pop() ?? '';
  try {
    return JSON.parse(line) as Record<string, any>;
  } catch {
    fail(`${what} printed no JSON result:\n${stdout}`);
  }
}

async function main(): Promise<void> {
  console.log(`packaging checks: node ${process.version}, ${ROOT}`);

  await check('build', () => {
    const missing = BUILD_OUTPUTS.filter((file) => !existsSync(join(ROOT, file)));
    if (args.has('--no-build')) {
      if (missing.length > 0) fail(`--no-build, but dist/ lacks ${missing.join(', ')}`);
      return 'skipped (--no-build)';
    }
    const inputs = ['src', 'tsup.config.ts', 'tsconfig.json', 'package.json'].map((p) => newestMtime(join(ROOT, p)));
    const outputs = missing.length > 0 ? [] : BUILD_OUTPUTS.map((file) => statSync(join(ROOT, file)).mtimeMs);
    const stale = missing.length > 0 || Math.min(...outputs) < Math.max(...inputs);
    if (!stale && !args.has('--build')) return 'dist/ is newer than its sources; not rebuilt';
    runOk('npm run build', npm, ['run', 'build'], ROOT, 300_000);
    const still = BUILD_OUTPUTS.filter((file) => !existsSync(join(ROOT, file)));
    if (still.length > 0) fail(`npm run build succeeded but left no ${still.join(', ')}`);
    return missing.length > 0 ? `ran npm run build (dist/ lacked ${missing[0]})` : 'ran npm run build';
  }, true);

  await check('browser bundle size', () => {
    const bytes = statSync(join(ROOT, BROWSER_BUNDLE)).size;
    const line = `${BROWSER_BUNDLE}: ${bytes.toLocaleString('en-US')} bytes, limit ${BROWSER_BUNDLE_LIMIT.toLocaleString('en-US')}`;
    if (bytes >= BROWSER_BUNDLE_LIMIT) fail(`${line}: too large`);
    return line;
  });

  workDir = mkdtempSync(join(tmpdir(), 'tapegrad-pack-'));
  const packDir = join(workDir, 'pack');
  const project = join(workDir, 'project');
  mkdirSync(packDir);
  mkdirSync(project);
  let tarball = '';

  await check('npm pack', () => {
    const r = runOk('npm pack', npm, ['pack', '--json', '--ignore-scripts', '--pack-destination', packDir], ROOT);
    const [info] = JSON.parse(r.stdout) as Array<{ filename: string; size: number; unpackedSize: number; files: Array<{ path: string }> }>;
    tarball = join(packDir, info.filename);
    // Only the build output and the package's own documents belong in the tarball.
    const stray = info.files.map((f) => f.path).filter((p) => !/^(dist\/|package\.json$|README\.md$|LICEN[CS]E)/i.test(p));
    if (stray.length > 0) fail(`unexpected files in the tarball: ${stray.join(', ')}`);
    return `${info.filename}: ${info.files.length} files, ${kb(info.size)} packed, ${kb(info.unpackedSize)} unpacked`;
  }, true);

  await check('publint (the packed tarball, all levels, strict)', async () => {
    const bytes = readFileSync(tarball);
    const tarballData = bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer;
    const { messages, pkg } = await publint({ pack: { tarball: tarballData }, level: 'suggestion', strict: true });
    if (messages.length > 0) {
      fail(messages.map((m) => `${m.type}: ${formatMessage(m, pkg, { color: false }) ?? m.code}`).join('\n'));
    }
    return 'no messages';
  });

  await check('@arethetypeswrong/cli (the packed tarball, strict profile)', () => {
    const cli = join(ROOT, 'node_modules/@arethetypeswrong/cli/dist/index.js');
    const r = run(process.execPath, [cli, tarball, '--format', 'json'], workDir!);
    let report: { analysis?: { entrypoints?: Record<string, { resolutions: Record<string, { resolution?: { fileName: string } }> }>; problems?: Array<Record<string, unknown>> } };
    try {
      report = JSON.parse(r.stdout) as typeof report;
    } catch {
      fail(`attw exited with ${r.status} and printed no JSON:\n${r.stdout}\n${r.stderr}`);
    }
    const problems = report.analysis?.problems ?? [];
    const table = Object.entries(report.analysis?.entrypoints ?? {}).map(([entry, { resolutions }]) => {
      const kinds = Object.entries(resolutions).map(([kind, res]) => {
        const bad = problems.filter((p) => p.entrypoint === entry && p.resolutionKind === kind).map((p) => p.kind);
        const where = res.resolution ? res.resolution.fileName.replace('/node_modules/tapegrad/', '') : 'unresolved';
        return `${kind} → ${where}${bad.length > 0 ? ` [${bad.join(', ')}]` : ''}`;
      });
      return `${entry}: ${kinds.join('; ')}`;
    });
    if (problems.length > 0 || r.status !== 0) {
      fail(`attw exited with ${r.status}, ${problems.length} problem(s):\n${table.join('\n')}`);
    }
    return `no problems\n${table.join('\n')}`;
  });

  await check('install the tarball into a scratch project', () => {
    writeFileSync(join(project, 'package.json'), `${JSON.stringify({ name: 'tapegrad-pack-check', version: '0.0.0', private: true }, null, 2)}\n`);
    // Scripts stay off: whether there are any is checked below by reading the manifests, not by running them.
    runOk('npm install <tarball>', npm, ['install', tarball, '--no-audit', '--no-fund', '--ignore-scripts', '--prefer-offline'], project, 300_000);
    const installed = readJson(join(project, 'node_modules/tapegrad/package.json'));
    return `tapegrad@${installed.version} with ${Object.keys(installed.dependencies ?? {}).join(', ')}`;
  }, true);

  await check('no install scripts, no native code (tapegrad and every installed dependency)', () => {
    const lock = readJson(join(project, 'package-lock.json'));
    const packages = Object.keys(lock.packages as Record<string, unknown>).filter((path) => path !== '');
    const problems: string[] = [];
    const names: string[] = [];
    for (const path of packages) {
      const dir = join(project, path);
      const manifest = readJson(join(dir, 'package.json'));
      const label = `${manifest.name}@${manifest.version}`;
      names.push(label);
      const scripts = Object.keys(manifest.scripts ?? {}).filter((s) => INSTALL_SCRIPTS.includes(s));
      if (scripts.length > 0) problems.push(`${label} has ${scripts.join(', ')} script(s)`);
      if ((lock.packages as Record<string, { hasInstallScript?: boolean }>)[path].hasInstallScript) problems.push(`${label}: npm recorded an install script`);
      if (manifest.gypfile || existsSync(join(dir, 'binding.gyp'))) problems.push(`${label} builds a native addon (binding.gyp)`);
      const addons = listFiles(dir).filter((f) => f.endsWith('.node'));
      if (addons.length > 0) problems.push(`${label} ships native addons: ${addons.map((f) => relative(dir, f)).join(', ')}`);
    }
    if (!names.some((n) => n.startsWith('tapegrad@'))) problems.push('tapegrad itself is missing from the scratch lockfile');
    if (problems.length > 0) fail(problems.join('\n'));
    return names.sort().join(', ');
  });

  for (const file of readdirSync(FIXTURES)) {
    if (/\.(mjs|cjs)$/.test(file)) copyFileSync(join(FIXTURES, file), join(project, file));
  }

  const trained: Array<Record<string, any>> = [];
  const runFixture = (what: string, file: string) => check(what, () => {
    const r = runOk(`node ${file}`, process.execPath, [file], project);
    const result = lastJsonLine(r.stdout, file);
    trained.push(result);
    return `y = 2x + 1 fitted: w = ${result.w}, b = ${result.b}, loss ${Number(result.loss).toExponential(2)}`;
  });
  await runFixture('ESM: import tapegrad, tapegrad/ndarray, tapegrad/node (esm.mjs)', 'esm.mjs');
  await runFixture('CJS: require tapegrad, tapegrad/ndarray, tapegrad/node (cjs.cjs)', 'cjs.cjs');
  await runFixture('ESM: import tapegrad/browser, the minified bundle (browser.mjs)', 'browser.mjs');

  await check('ESM, CJS and the browser bundle train to the same bits', () => {
    if (trained.length !== 3) fail(`only ${trained.length} of the 3 training runs finished`);
    const seen = trained.map((t) => `${t.entry} ${t.bits.join(' ')}`);
    if (new Set(trained.map((t) => t.bits.join(' '))).size !== 1) fail(`the weights differ:\n${seen.join('\n')}`);
    return `w, b as float32 bits: ${trained[0].bits.join(' ')}`;
  });

  const tsc = join(ROOT, 'node_modules/typescript/bin/tsc');
  const consumer = readFileSync(join(FIXTURES, 'consumer.ts.txt'), 'utf8');
  for (const ext of ['mts', 'cts', 'ts']) writeFileSync(join(project, `consumer.${ext}`), consumer);
  // No @types and no DOM: the declarations must stand on their own in a plain ES2022 project. Checking the library
  // files too (skipLibCheck off) catches broken declarations that a consumer would otherwise only meet as `any`.
  const compilerOptions = { target: 'es2022', lib: ['es2022'], types: [], strict: true, noEmit: true, skipLibCheck: false };
  const typecheck = (what: string, config: string, options: Record<string, unknown>, files: string[]) => check(what, () => {
    writeFileSync(join(project, config), `${JSON.stringify({ compilerOptions: { ...compilerOptions, ...options }, files }, null, 2)}\n`);
    const r = runOk(`tsc -p ${config}`, process.execPath, [tsc, '-p', config], project);
    const version = run(process.execPath, [tsc, '--version'], project).stdout.trim();
    return `${files.join(', ')}: no errors (${version}${r.stdout.trim() ? `; ${r.stdout.trim()}` : ''})`;
  });
  await typecheck('TypeScript, moduleResolution node16 (ESM .mts and CJS .cts)', 'tsconfig.node16.json',
    { module: 'node16', moduleResolution: 'node16' }, ['consumer.mts', 'consumer.cts']);
  await typecheck('TypeScript, moduleResolution bundler', 'tsconfig.bundler.json',
    { module: 'esnext', moduleResolution: 'bundler' }, ['consumer.ts']);

  finish();
}

function listFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    return entry.isDirectory() ? listFiles(path) : [path];
  });
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
