/**
 * Every ```ts block of README.md and of the guides in docs/ runs as written and typechecks, and every ```js block
 * runs, so a guide cannot drift from the library. 'tapegrad', 'tapegrad/node', 'tapegrad/ndarray' and the browser
 * bundle './tapegrad.min.js' resolve to the source tree. The samples of a page run in order, in one scratch
 * directory that is also their working directory, so a file one sample writes is there for the next.
 *
 * A value stated in the comment of a console.log line is checked: `// [0.75, 4.32, 12]`, `// 82`, `// true`,
 * `// 'float64'` (numbers to the decimals written, so `// 0.7311` accepts 0.73105857); text after a colon or after
 * "about" is commentary, and a comment that starts with anything else is not checked.
 *
 * A line `<!-- docs-test: ... -->` right before a fence (invisible on the rendered page) changes how the block is
 * treated:
 * - `skip <reason>`: the block is typechecked but not run (code that needs a browser: DOM, Worker, fetch).
 * - `module <file.ts> [<variant>]`: the block is a file that later blocks of the page import ('./file.js'); it runs
 *   only through them. With a variant name it is one version of that file (a skeleton, a solution) for a grader.
 * - `grader <variant>=pass|fail ...`: the block is a vitest test file; it runs once per listed variant, beside that
 *   variant's files, and must pass, or fail (a grader that cannot fail grades nothing).
 *
 * The `@example`s of the JSDoc in src/ (the API reference) are run too: an inline one, `` @example `expr  // value` ``,
 * is evaluated with every export of the library in scope and compared with the stated value (`// shape [2, 3]`
 * compares the shape); a fenced one runs and typechecks like a guide's sample, and its lines of the form
 * `expression;  // value` are checked.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import ts from 'typescript';
import * as library from '../src/index.js';
import * as nodeEntry from '../src/node/index.js';
import * as ndarrayEntry from '../src/interop/ndarray.js';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const docs = join(root, 'docs');
const scratch = join(root, 'test', '.docs-tmp', `run-${process.pid}-${Date.now()}`);

const entryPoints: Record<string, string> = {
  tapegrad: join(root, 'src', 'index.ts'),
  'tapegrad/node': join(root, 'src', 'node', 'index.ts'),
  'tapegrad/ndarray': join(root, 'src', 'interop', 'ndarray.ts'),
};

type Directive =
  | { kind: 'run' }
  | { kind: 'skip'; reason: string }
  | { kind: 'module'; file: string; variant: string | null }
  | { kind: 'grader'; expectations: Array<[variant: string, outcome: 'pass' | 'fail']> };

interface Block {
  page: string;
  language: 'ts' | 'js';
  /** 0-based position among the page's ```ts and ```js blocks. */
  index: number;
  /** 1-based line of the opening fence in the page, for messages. */
  line: number;
  code: string;
  directive: Directive;
}

function parseDirective(text: string, where: string): Directive {
  const [kind, ...rest] = text.trim().split(/\s+/);
  if (kind === 'skip' && rest.length > 0) return { kind, reason: rest.join(' ') };
  if (kind === 'module' && /^[\w.-]+\.ts$/.test(rest[0] ?? '') && rest.length <= 2) return { kind, file: rest[0], variant: rest[1] ?? null };
  if (kind === 'grader' && rest.length > 0 && rest.every((r) => /^[\w-]+=(pass|fail)$/.test(r))) {
    return { kind, expectations: rest.map((r) => r.split('=') as [string, 'pass' | 'fail']) };
  }
  throw new Error(`${where}: cannot read the directive "docs-test: ${text}"`);
}

function readBlocks(path: string): Block[] {
  const page = basename(path);
  const lines = readFileSync(path, 'utf8').split('\n');
  const blocks: Block[] = [];
  for (let i = 0; i < lines.length; i++) {
    const fence = lines[i].trim().match(/^```(ts|js)$/);
    if (fence === null) continue;
    const start = i;
    const body: string[] = [];
    for (i++; i < lines.length && lines[i].trim() !== '```'; i++) body.push(lines[i]);
    const previous = lines[start - 1]?.match(/^<!--\s*docs-test:(.*)-->\s*$/);
    const directive = previous ? parseDirective(previous[1], `${page}:${start}`) : { kind: 'run' as const };
    blocks.push({ page, language: fence[1] as 'ts' | 'js', index: blocks.length, line: start + 1, code: `${body.join('\n')}\n`, directive });
  }
  return blocks;
}

const pages = [join(root, 'README.md'), ...readdirSync(docs).filter((f) => f.endsWith('.md')).sort().map((f) => join(docs, f))];
const blocks = pages.flatMap(readBlocks);
const label = (b: Block) => `${b.page} sample ${b.index + 1} (line ${b.line})`;
const pageDir = (page: string) => join(scratch, page.replace(/\W/g, '_'));
const sampleFile = (b: Block) => `sample_${b.index + 1}.${b.language}`;
/** The browser bundle as a page imports it, served beside the page's scripts. */
const bundleSpecifier = './tapegrad.min.js';

/** A vitest stand-in for running a grader inside this test: it collects the grader's cases instead of registering them. */
const vitestShim = `import { expect } from 'vitest';
export { expect };
export const cases: Array<{ name: string; fn: () => unknown }> = [];
const prefix: string[] = [];
export function describe(name: string, fn: () => void): void {
  prefix.push(name);
  try { fn(); } finally { prefix.pop(); }
}
export function it(name: string, fn: () => unknown): void {
  cases.push({ name: [...prefix, name].join(' > '), fn });
}
export const test = it;
`;

/** The source as run here: entry points resolved to the source tree, console.log calls tagged with their line. */
function forRuntime(code: string, vitest?: string): string {
  return code
    .replace(/from '(tapegrad(?:\/node|\/ndarray)?|vitest|\.\/tapegrad\.min\.js)'/g, (all, spec: string) => {
      if (spec === 'vitest') return vitest === undefined ? all : `from '${vitest}'`;
      return `from '${pathToFileURL(entryPoints[spec === bundleSpecifier ? 'tapegrad' : spec]).href}'`;
    })
    .split('\n')
    .map((l, i) => l.replaceAll('console.log(', `globalThis.__docsLog(${i}, `))
    .join('\n');
}

/** The value a console.log comment states, or undefined when the comment is commentary. */
function statedValue(line: string): { value: unknown; tolerance: number } | undefined {
  const comment = line.split('//').slice(1).join('//').trim();
  // An array is read up to its closing bracket, so text after it (`[32, 16]; the running mean moved`) is commentary.
  const stated = comment.startsWith('[') ? bracketed(comment) : comment.split(/:\s|;|,? about\b/)[0].trim();
  if (stated === undefined) return undefined;
  // Half a unit in the last place written, of the finest number stated: 0.7311 → 5e-5, 12 → 0.5, 1e-8 → 5e-9.
  const units = [...stated.matchAll(/\d+(?:\.(\d+))?(?:e([-+]?\d+))?/g)].map((m) => 10 ** (Number(m[2] ?? 0) - (m[1]?.length ?? 0)));
  const tolerance = 0.5 * Math.min(1, ...units);
  if (/^(true|false)$/.test(stated)) return { value: stated === 'true', tolerance: 0 };
  if (/^'[^']*'$/.test(stated)) return { value: stated.slice(1, -1), tolerance: 0 };
  if (/^-?\d+(\.\d+)?(e-?\d+)?$/.test(stated)) return { value: Number(stated), tolerance };
  if (stated.startsWith('[')) {
    try {
      return { value: JSON.parse(stated.includes('"') ? stated : stated.replaceAll("'", '"')), tolerance };
    } catch {
      return undefined; // an array of something else than numbers, strings and booleans: commentary
    }
  }
  return undefined;
}

/** The leading `[...]` of `text`, brackets matched, or undefined. */
function bracketed(text: string): string | undefined {
  let depth = 0;
  for (let i = 0; i < text.length; i++) {
    if (text[i] === '[') depth++;
    else if (text[i] === ']' && --depth === 0) return text.slice(0, i + 1);
  }
  return undefined;
}

function expectStated(got: unknown, value: unknown, tolerance: number, where: string): void {
  if (got !== null && typeof got === 'object' && 'toArray' in got && typeof got.toArray === 'function') got = got.toArray();
  if (ArrayBuffer.isView(got)) got = Array.from(got as unknown as ArrayLike<number>);
  if (Array.isArray(value)) {
    expect(Array.isArray(got), `${where}: expected an array, got ${String(got)}`).toBe(true);
    expect((got as unknown[]).length, where).toBe(value.length);
    value.forEach((v, k) => expectStated((got as unknown[])[k], v, tolerance, `${where}[${k}]`));
  } else if (typeof value === 'number') {
    expect(typeof got, `${where}: ${String(got)}`).toBe('number');
    // Relative slack for large values whose decimals were not all written.
    expect(Math.abs((got as number) - value), `${where}: got ${String(got)}, the comment says ${value}`).toBeLessThanOrEqual(tolerance + 1e-12 * Math.abs(value));
  } else {
    expect(got, where).toBe(value);
  }
}

/** `// shape [2, 3]` states a result's shape. */
function statedShape(comment: string): number[] | undefined {
  const m = comment.trim().match(/^shape (\[[\d, ]*\])/);
  return m ? (JSON.parse(m[1]) as number[]) : undefined;
}

/** Compares a result with what the comment after it states, when the comment states a value or a shape. */
function expectComment(got: unknown, comment: string, where: string): void {
  const shape = statedShape(comment);
  if (shape !== undefined) {
    expect((got as { shape?: unknown }).shape, `${where}: shape`).toEqual(shape);
    return;
  }
  const stated = statedValue(`//${comment}`);
  if (stated !== undefined) expectStated(got, stated.value, stated.tolerance, where);
}

/** Imports a file and returns what each tagged console.log line printed. */
async function runFile(path: string, cwd: string): Promise<Map<number, unknown[][]>> {
  const logs = new Map<number, unknown[][]>();
  const g = globalThis as { __docsLog?: (line: number, ...args: unknown[]) => void };
  g.__docsLog = (line, ...args) => {
    if (!logs.has(line)) logs.set(line, []);
    logs.get(line)!.push(args);
  };
  const previous = process.cwd();
  process.chdir(cwd); // files a sample writes land in the scratch directory
  try {
    await import(pathToFileURL(path).href);
  } finally {
    process.chdir(previous);
    delete g.__docsLog;
  }
  return logs;
}

/** Writes the page's modules (the shared ones and those of `variant`) into `dir`, ready to import. */
function writeModules(page: string, dir: string, variant: string | null, transform: (code: string) => string): string[] {
  mkdirSync(dir, { recursive: true });
  const written: string[] = [];
  for (const b of blocks) {
    if (b.page === page && b.directive.kind === 'module' && (b.directive.variant === null || b.directive.variant === variant)) {
      written.push(join(dir, b.directive.file));
      writeFileSync(written[written.length - 1], transform(b.code));
    }
  }
  return written;
}

afterAll(() => rmSync(scratch, { recursive: true, force: true }));

/** The project's compiler options, with the package's entry points resolved to the source tree. */
function compilerOptions(): ts.CompilerOptions {
  const config = ts.getParsedCommandLineOfConfigFile(join(root, 'tsconfig.json'), {}, {
    ...ts.sys,
    onUnRecoverableConfigFileDiagnostic: (d) => { throw new Error(ts.flattenDiagnosticMessageText(d.messageText, '\n')); },
  })!;
  return {
    ...config.options,
    noEmit: true,
    paths: Object.fromEntries(Object.entries(entryPoints).map(([spec, path]) => [spec, [path]])),
  };
}

interface ApiExample {
  /** 'src/ops/unary.ts:29' */
  where: string;
  inline: boolean;
  code: string;
}

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? sourceFiles(join(dir, e.name)) : e.name.endsWith('.ts') && !e.name.endsWith('.d.ts') ? [join(dir, e.name)] : []);
}

/** Every @example of the JSDoc in src/. */
function readApiExamples(): ApiExample[] {
  const out: ApiExample[] = [];
  for (const file of sourceFiles(join(root, 'src')).sort()) {
    const text = readFileSync(file, 'utf8');
    for (const m of text.matchAll(/\/\*\*[\s\S]*?\*\//g)) {
      const first = text.slice(0, m.index).split('\n').length;
      const lines = m[0].split('\n').map((l) => l.replace(/\*\/\s*$/, '').replace(/^\s*(\/\*\*|\*)\s?/, ''));
      lines.forEach((line, i) => {
        const tag = line.match(/@example\b(.*)$/);
        if (tag === null) return;
        const where = `${file.slice(root.length + 1)}:${first + i}`;
        const inline = tag[1].match(/^\s*`([^`]+)`/);
        if (inline !== null) {
          out.push({ where, inline: true, code: inline[1] });
          return;
        }
        const open = lines.findIndex((l, k) => k > i && /^```(ts|typescript)\s*$/.test(l.trim()));
        const close = lines.findIndex((l, k) => k > open && l.trim() === '```');
        if (open < 0 || close < 0) throw new Error(`${where}: an @example without inline code or a ts fence`);
        out.push({ where, inline: false, code: `${lines.slice(open + 1, close).join('\n')}\n` });
      });
    }
  }
  return out;
}

const apiExamples = readApiExamples();

/** The line of a fenced example as `expression;  // comment`, when it is one expression (not an assignment). */
function checkedExpression(line: string): { indent: string; expression: string; comment: string } | undefined {
  const m = line.match(/^(\s*)(.*?);\s*\/\/(.*)$/);
  if (m === null) return undefined;
  const parsed = ts.createSourceFile('line.ts', `${m[2]};`, ts.ScriptTarget.ES2022);
  const [statement, ...rest] = parsed.statements;
  if (rest.length > 0 || statement === undefined || !ts.isExpressionStatement(statement)) return undefined;
  const e = statement.expression;
  if (ts.isBinaryExpression(e) && e.operatorToken.kind >= ts.SyntaxKind.FirstAssignment && e.operatorToken.kind <= ts.SyntaxKind.LastAssignment) return undefined;
  return { indent: m[1], expression: m[2], comment: m[3] };
}

/**
 * Public symbols that still lack an @example. They live in files that other work was changing when the examples were
 * written (src/dtype.ts, src/shape.ts, src/ops/{unary,reduce,conv,pool,index}.ts); remove a name once it has one.
 */
const pendingExamples: string[] = [];

describe('API reference examples', () => {
  it('every public symbol has a summary and an @example', () => {
    const checker = typecheck().program.getTypeChecker();
    const lacking: string[] = [];
    const visit = (module: ts.Symbol, prefix: string) => {
      for (const exported of checker.getExportsOfModule(module)) {
        const symbol = exported.flags & ts.SymbolFlags.Alias ? checker.getAliasedSymbol(exported) : exported;
        const name = `${prefix}${exported.name}`;
        if (symbol.flags & ts.SymbolFlags.ValueModule) {
          visit(symbol, `${name}.`); // a namespace (nn, nn.init, optim, ...): its members are public symbols too
          continue;
        }
        const summary = ts.displayPartsToString(symbol.getDocumentationComment(checker)).trim();
        const example = symbol.getJsDocTags(checker).some((t) => t.name === 'example');
        if (summary === '' || !example) lacking.push(name);
      }
    };
    for (const [spec, path] of Object.entries(entryPoints)) visit(checker.getSymbolAtLocation(typecheck().program.getSourceFile(path)!)!, `${spec}:`);
    expect(lacking).toEqual(pendingExamples);
  });

  it('finds them', () => {
    expect(apiExamples.filter((e) => e.inline).length).toBeGreaterThan(100);
    expect(apiExamples.filter((e) => !e.inline).length).toBeGreaterThan(50);
  });

  it('every inline example runs and gives the value its comment states', async () => {
    // The names an example may use unqualified: the entry points' exports, and those of the namespaces (an example
    // in nn/init.ts writes `calculateGain('relu')`); the top-level names win.
    const { nn, optim, data, io } = library;
    const scopes = { io, data, optim, functional: nn.functional, init: nn.init, nn, nd: ndarrayEntry, node: nodeEntry, lib: library };
    const names = [...new Set(Object.values(scopes).flatMap((m) => Object.keys(m)))];
    const inline = apiExamples.filter((e) => e.inline).map((e) => {
      const cut = e.code.indexOf(' //');
      return { ...e, expression: cut < 0 ? e.code : e.code.slice(0, cut), comment: cut < 0 ? '' : e.code.slice(cut + 3) };
    });
    const failures: string[] = [];
    const runnable = inline.filter((e) => {
      const { diagnostics = [] } = ts.transpileModule(`(${e.expression});`, { reportDiagnostics: true });
      if (diagnostics.length > 0) failures.push(`${e.where}: \`${e.expression}\` does not parse`);
      return diagnostics.length === 0;
    });
    const dir = join(scratch, 'api-inline');
    mkdirSync(dir, { recursive: true });
    const path = join(dir, 'inline.ts');
    writeFileSync(path, [
      `import * as lib from '${pathToFileURL(entryPoints.tapegrad).href}';`,
      `import * as node from '${pathToFileURL(entryPoints['tapegrad/node']).href}';`,
      `import * as nd from '${pathToFileURL(entryPoints['tapegrad/ndarray']).href}';`,
      `const { ${names.join(', ')} } = { ...lib.io, ...lib.data, ...lib.optim, ...lib.nn.functional, ...lib.nn.init, ...lib.nn, ...nd, ...node, ...lib } as any;`,
      `export const cases = [\n${runnable.map((e) => `  () => (${e.expression}),`).join('\n')}\n];`,
    ].join('\n'));
    const { cases } = (await import(pathToFileURL(path).href)) as { cases: Array<() => unknown> };
    runnable.forEach((e, i) => {
      try {
        expectComment(cases[i](), e.comment, `\`${e.code}\``);
      } catch (error) {
        failures.push(`${e.where}: ${(error as Error).message.split('\n')[0]}`);
      }
    });
    expect(failures).toEqual([]);
  });

  for (const e of apiExamples.filter((x) => !x.inline)) {
    it(`${e.where} runs`, async () => {
      const dir = join(scratch, 'api', e.where.replace(/\W/g, '_'));
      mkdirSync(dir, { recursive: true });
      const lines = e.code.split('\n');
      const checks = new Map<number, string>();
      const instrumented = lines.map((line, i) => {
        const c = checkedExpression(line);
        if (c === undefined) return line;
        checks.set(i, c.comment);
        // `expression;  // throws: ...` states that it throws.
        if (/^\s*throws\b/.test(c.comment)) {
          checks.set(i, ' true');
          return `${c.indent}try { ${c.expression}; console.log(false); } catch { console.log(true); }`;
        }
        return `${c.indent}console.log(${c.expression});`;
      }).join('\n');
      const path = join(dir, 'example.ts');
      writeFileSync(path, forRuntime(instrumented));
      const logs = await runFile(path, dir);
      for (const [i, comment] of checks) {
        const where = `${e.where}, example line ${i + 1}`;
        expect(logs.get(i), `${where} did not run`).toBeDefined();
        expectComment(logs.get(i)![0][0], comment, where);
      }
    });
  }
});

/**
 * One program for the typechecks: every ts sample of the guides (beside its page's modules; graders beside each
 * variant they grade), every fenced example of the API reference, and the entry points. Made once, when first asked.
 */
const typecheck = (() => {
  let made: { program: ts.Program; dir: string; files: string[] } | undefined;
  return () => {
    if (made !== undefined) return made;
    const dir = join(scratch, 'typecheck');
    const files: string[] = [];
    for (const page of new Set(blocks.map((b) => b.page))) {
      const own = blocks.filter((b) => b.page === page);
      const variants = new Set<string | null>([null, ...own.flatMap((b) => (b.directive.kind === 'module' ? [b.directive.variant] : []))]);
      for (const variant of variants) {
        const d = join(dir, page.replace(/\W/g, '_'), variant ?? 'shared');
        files.push(...writeModules(page, d, variant, (c) => c));
        // The bundle's types are the library's (as for a page that ships tapegrad.min.js with its .d.ts).
        writeFileSync(join(d, 'tapegrad.min.d.ts'), `export * from '${entryPoints.tapegrad.replace(/\.ts$/, '.js')}';\n`);
        for (const b of own) {
          // Samples are checked beside the shared modules, graders beside each variant they grade.
          const wanted = b.language === 'ts' &&
            (b.directive.kind === 'grader' ? b.directive.expectations.some(([v]) => v === variant) : b.directive.kind !== 'module' && variant === null);
          if (!wanted) continue;
          const path = join(d, b.directive.kind === 'grader' ? `grader_${b.index + 1}.ts` : sampleFile(b));
          writeFileSync(path, b.code);
          files.push(path);
        }
      }
    }
    // The fenced examples of the API reference, each a module of its own.
    const apiDir = join(dir, 'api');
    mkdirSync(apiDir, { recursive: true });
    for (const e of apiExamples.filter((x) => !x.inline)) {
      const path = join(apiDir, `${e.where.replace(/\W/g, '_')}.ts`);
      writeFileSync(path, /^\s*(import|export)\b/m.test(e.code) ? e.code : `${e.code}export {};\n`);
      files.push(path);
    }
    made = { program: ts.createProgram([...new Set(files), ...Object.values(entryPoints)], compilerOptions()), dir, files };
    return made;
  };
})();

describe('guides', () => {
  const guides = readdirSync(docs).filter((f) => f.endsWith('.md')).sort();

  it('each has a title, is in the API site (typedoc.json), and is linked from the README', () => {
    const typedoc = JSON.parse(readFileSync(join(root, 'typedoc.json'), 'utf8')) as { projectDocuments: string[] };
    const readme = readFileSync(join(root, 'README.md'), 'utf8');
    for (const guide of guides) expect(readFileSync(join(docs, guide), 'utf8'), guide).toMatch(/^---\ntitle: .+\n---\n/);
    expect(guides.filter((g) => !typedoc.projectDocuments.includes(`docs/${g}`)), 'not in typedoc.json').toEqual([]);
    expect(guides.filter((g) => !readme.includes(`](docs/${g})`)), 'not linked from README.md').toEqual([]);
  });

  it('every relative link of the README and the guides leads to a file, and every #anchor to a heading', () => {
    const slug = (heading: string) => heading.trim().toLowerCase().replace(/[^\w\s-]/g, '').replace(/\s+/g, '-');
    const headings = (path: string) => [...readFileSync(path, 'utf8').matchAll(/^#+ (.+)$/gm)].map((m) => slug(m[1]));
    const broken: string[] = [];
    for (const page of [join(root, 'README.md'), ...guides.map((g) => join(docs, g))]) {
      const text = readFileSync(page, 'utf8').replace(/```[\s\S]*?```/g, '');
      for (const [, target] of text.matchAll(/\]\(([^)\s]+)\)/g)) {
        if (/^[a-z]+:/.test(target)) continue; // https:, mailto:
        const [file, anchor] = target.split('#');
        const path = file === '' ? page : join(dirname(page), file);
        if (!existsSync(path)) broken.push(`${basename(page)}: ${target} (no such file)`);
        else if (anchor !== undefined && path.endsWith('.md') && !headings(path).includes(anchor)) broken.push(`${basename(page)}: ${target} (no such heading)`);
      }
    }
    expect(broken).toEqual([]);
  });
});

describe('docs code samples', () => {
  it('finds the samples, and every module is imported and every variant graded', () => {
    expect(blocks.filter((b) => b.directive.kind === 'run').length).toBeGreaterThan(0);
    for (const page of new Set(blocks.map((b) => b.page))) {
      const own = blocks.filter((b) => b.page === page);
      const graded = new Set(own.flatMap((b) => (b.directive.kind === 'grader' ? b.directive.expectations.map(([v]) => v) : [])));
      for (const b of own) {
        if (b.directive.kind !== 'module') continue;
        const { file, variant } = b.directive;
        const specifier = `./${file.replace(/\.ts$/, '.js')}`;
        expect(own.some((o) => o !== b && o.code.includes(`'${specifier}'`)), `${label(b)}: nothing imports ${specifier}`).toBe(true);
        if (variant !== null) expect(graded.has(variant), `${label(b)}: no grader runs variant ${variant}`).toBe(true);
      }
    }
  });

  for (const b of blocks) {
    const { directive } = b;
    if (directive.kind === 'module') continue;
    if (directive.kind === 'skip') {
      it.skip(`${label(b)}: ${directive.reason}`, () => {});
      continue;
    }
    if (directive.kind === 'run') {
      it(`${label(b)} runs`, async () => {
        const dir = join(pageDir(b.page), `sample_${b.index + 1}`);
        writeModules(b.page, dir, null, (c) => forRuntime(c));
        const path = join(dir, sampleFile(b));
        writeFileSync(path, forRuntime(b.code));
        const logs = await runFile(path, pageDir(b.page));
        b.code.split('\n').forEach((line, i) => {
          if (!line.includes('console.log(')) return;
          const stated = statedValue(line);
          if (stated === undefined) return;
          const where = `${label(b)}, line ${i + 1} of the sample`;
          expect(logs.get(i), `${where} never printed`).toBeDefined();
          for (const args of logs.get(i)!) expectStated(args[0], stated.value, stated.tolerance, where);
        });
      });
      continue;
    }
    for (const [variant, outcome] of directive.expectations) {
      it(`${label(b)}: the grader ${outcome === 'pass' ? 'passes' : 'fails'} on ${variant}`, async () => {
        const dir = join(pageDir(b.page), `grader_${b.index + 1}_${variant}`);
        writeModules(b.page, dir, variant, (c) => forRuntime(c));
        writeFileSync(join(dir, 'vitest-shim.ts'), vitestShim);
        const grader = join(dir, 'grader.ts');
        writeFileSync(grader, forRuntime(b.code, './vitest-shim.js'));
        await runFile(grader, pageDir(b.page));
        const { cases } = (await import(pathToFileURL(join(dir, 'vitest-shim.ts')).href)) as { cases: Array<{ name: string; fn: () => unknown }> };
        expect(cases.length, `${label(b)} has no test cases`).toBeGreaterThan(0);
        const failures: string[] = [];
        for (const c of cases) {
          try {
            await c.fn();
          } catch (e) {
            failures.push(`${c.name}: ${(e as Error).message.split('\n')[0]}`);
          }
        }
        if (outcome === 'pass') expect(failures, `the grader fails on ${variant}`).toEqual([]);
        else expect(failures.length, `the grader passes on ${variant}, so it cannot tell it from a right answer`).toBeGreaterThan(0);
      });
    }
  }

  it('every sample typechecks', () => {
    const { program, dir, files } = typecheck();
    const problems = files.flatMap((f) => {
      const source = program.getSourceFile(f)!;
      return [...program.getSyntacticDiagnostics(source), ...program.getSemanticDiagnostics(source)].map((d) => {
        const { line } = source.getLineAndCharacterOfPosition(d.start ?? 0);
        return `${f.slice(dir.length + 1)}:${line + 1}: ${ts.flattenDiagnosticMessageText(d.messageText, ' ')}`;
      });
    });
    expect(problems).toEqual([]);
  });
});
