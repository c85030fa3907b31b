import { describe, it, expect } from 'vitest';
import { existsSync, readFileSync } from 'node:fs';
import { builtinModules } from 'node:module';
import { dirname, relative, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';
import ndarray from 'ndarray';
import { Generator, Tensor, tensor, zeros } from '../../src/index.js';
import { fromNdarray, toNdarray } from '../../src/interop/ndarray.js';

/** Row-major values of a strided view, read with the stride formula itself (independent of ndarray-ops). */
function readStrided(data: ArrayLike<number>, shape: number[], stride: number[], offset: number): number[] {
  const out: number[] = [];
  const idx = new Array<number>(shape.length).fill(0);
  const size = shape.reduce((a, b) => a * b, 1);
  for (let n = 0; n < size; n++) {
    let pos = offset;
    for (let d = 0; d < shape.length; d++) pos += idx[d] * stride[d];
    out.push(data[pos]);
    for (let d = shape.length - 1; d >= 0; d--) {
      if (++idx[d] < shape[d]) break;
      idx[d] = 0;
    }
  }
  return out;
}

describe('fromNdarray', () => {
  it('copies a contiguous ndarray with its shape', () => {
    const a = ndarray(new Float32Array([1, 2, 3, 4, 5, 6]), [2, 3]);
    const t = fromNdarray(a);
    expect(t.shape).toEqual([2, 3]);
    expect(t.toArray()).toEqual([[1, 2, 3], [4, 5, 6]]);
  });

  it('packs a transposed view', () => {
    const a = ndarray(new Float32Array([1, 2, 3, 4, 5, 6]), [2, 3]);
    const t = fromNdarray(a.transpose(1, 0));
    // the transpose of [[1,2,3],[4,5,6]]
    expect(t.shape).toEqual([3, 2]);
    expect(t.toArray()).toEqual([[1, 4], [2, 5], [3, 6]]);
  });

  it('packs a sliced view (hi/lo, non-zero offset)', () => {
    // [[0,1,2,3],[4,5,6,7],[8,9,10,11]]
    const a = ndarray(new Float32Array(12).map((_, i) => i), [3, 4]);
    const view = a.hi(3, 3).lo(1, 1); // rows 1..2, cols 1..2
    expect(view.offset).toBe(5);
    const t = fromNdarray(view);
    expect(t.toArray()).toEqual([[5, 6], [9, 10]]);
  });

  it('packs stepped views (reversed and every other element)', () => {
    const a = ndarray(new Float32Array([0, 1, 2, 3, 4, 5, 6]), [7]);
    expect(fromNdarray(a.step(-1)).toArray()).toEqual([6, 5, 4, 3, 2, 1, 0]);
    expect(fromNdarray(a.step(2)).toArray()).toEqual([0, 2, 4, 6]);
    const m = ndarray(new Float32Array([1, 2, 3, 4, 5, 6]), [2, 3]);
    // rows reversed, columns reversed: [[6,5,4],[3,2,1]]
    expect(fromNdarray(m.step(-1, -1)).toArray()).toEqual([[6, 5, 4], [3, 2, 1]]);
  });

  it('packs a picked sub-array', () => {
    const m = ndarray(new Float32Array([1, 2, 3, 4, 5, 6]), [2, 3]);
    expect(fromNdarray(m.pick(null, 1)).toArray()).toEqual([2, 5]); // column 1
  });

  it('packs an arbitrary 3-d view the way the stride formula reads it', () => {
    const g = new Generator(11);
    const base = new Float64Array(4 * 5 * 6);
    for (let i = 0; i < base.length; i++) base[i] = g.random();
    const view = ndarray(base, [4, 5, 6]).transpose(2, 0, 1).step(1, -1, 2).hi(5, 4, 2).lo(1, 0, 0);
    const expected = readStrided(base, view.shape, view.stride, view.offset);
    const t = fromNdarray(view);
    expect(t.shape).toEqual(view.shape);
    expect(t.dtype).toBe('float64');
    expect(Array.from(t.data)).toEqual(expected);
  });

  it('chooses the dtype from the source data, or from the option', () => {
    expect(fromNdarray(ndarray(new Float64Array([1.5]), [1])).dtype).toBe('float64');
    expect(fromNdarray(ndarray(new Float32Array([1.5]), [1])).dtype).toBe('float32');
    const ints = fromNdarray(ndarray(new Int32Array([-3, 7]), [2]));
    expect(ints.dtype).toBe('float32');
    expect(ints.toArray()).toEqual([-3, 7]);
    const plain = fromNdarray(ndarray([1, 2, 3, 4], [2, 2]).transpose(1, 0));
    expect(plain.dtype).toBe('float32');
    expect(plain.toArray()).toEqual([[1, 3], [2, 4]]);
    const wide = fromNdarray(ndarray(new Float32Array([0.25]), [1]), { dtype: 'float64' });
    expect(wide.dtype).toBe('float64');
    expect(wide.data[0]).toBe(0.25);
    // 0.1 is not a float32: asking for float32 rounds the double to the nearest float32
    const narrow = fromNdarray(ndarray(new Float64Array([0.1]), [1]), { dtype: 'float32' });
    expect(narrow.dtype).toBe('float32');
    expect(narrow.data[0]).toBe(Math.fround(0.1));
    expect(() => fromNdarray(ndarray(new Float32Array(1), [1]), { dtype: 'int32' as never })).toThrow(/unknown dtype/);
  });

  it('reads a generic get/set array', () => {
    const store = [10, 20, 30, 40];
    const generic = { length: 4, get: (i: number) => store[i], set: (i: number, v: number) => { store[i] = v; } };
    const t = fromNdarray(ndarray(generic, [2, 2]).transpose(1, 0));
    expect(t.toArray()).toEqual([[10, 30], [20, 40]]);
  });

  it('makes a leaf that requires grad when asked', () => {
    const x = fromNdarray(ndarray(new Float32Array([1, 2, 3]), [3]), { requiresGrad: true });
    expect(x.requiresGrad).toBe(true);
    expect(x.isLeaf).toBe(true);
    x.mul(x).sum().backward();
    // d Σx² = 2x
    expect(x.grad!.toArray()).toEqual([2, 4, 6]);
    expect(fromNdarray(ndarray(new Float32Array([1]), [1])).requiresGrad).toBe(false);
  });

  it('copies: later writes to the source do not reach the tensor', () => {
    const src = new Float32Array([1, 2, 3]);
    const t = fromNdarray(ndarray(src, [3]));
    src[0] = 100;
    expect(t.data[0]).toBe(1);
    expect(t.data.buffer).not.toBe(src.buffer);
  });

  it('handles 0-d and empty ndarrays', () => {
    const s = fromNdarray(ndarray(new Float64Array([7, 8, 9]), [], [], 2));
    expect(s.shape).toEqual([]);
    expect(s.item()).toBe(9);
    const e = fromNdarray(ndarray(new Float32Array(0), [0, 3]));
    expect(e.shape).toEqual([0, 3]);
    expect(e.size).toBe(0);
  });

  it('refuses what is not an ndarray, and BigInt data', () => {
    expect(() => fromNdarray({} as never)).toThrow(/expected an ndarray/);
    expect(() => fromNdarray(ndarray(new BigInt64Array(2), [2]) as never)).toThrow(/bigint64 data is not supported/);
  });
});

describe('toNdarray', () => {
  it('views the storage without copying, both ways', () => {
    const t = tensor([[1, 2, 3], [4, 5, 6]]);
    const a = toNdarray(t);
    expect(a.data).toBe(t.data);
    expect(a.shape).toEqual([2, 3]);
    expect(a.stride).toEqual([3, 1]);
    expect(a.offset).toBe(0);
    expect(a.get(1, 0)).toBe(4);
    a.set(0, 2, 30);
    expect(t.toArray()).toEqual([[1, 2, 30], [4, 5, 6]]);
    t.data[4] = 50;
    expect(a.get(1, 1)).toBe(50);
  });

  it('keeps the dtype of the storage', () => {
    expect(toNdarray(zeros([2], { dtype: 'float64' })).dtype).toBe('float64');
    expect(toNdarray(zeros([2])).dtype).toBe('float32');
  });

  it('gives a 0-d ndarray for a scalar', () => {
    const a = toNdarray(tensor(5));
    expect(a.dimension).toBe(0);
    expect(a.shape).toEqual([]);
    expect(a.get()).toBe(5);
  });

  it('round-trips through fromNdarray, and a transposed view matches Tensor.transpose', () => {
    const g = new Generator(3);
    const data = new Float32Array(24);
    for (let i = 0; i < data.length; i++) data[i] = g.random();
    const t = new Tensor(data, [2, 3, 4]);
    const back = fromNdarray(toNdarray(t));
    expect(back.shape).toEqual([2, 3, 4]);
    expect(Array.from(back.data)).toEqual(Array.from(data));
    expect(back.data).not.toBe(data);
    const tt = fromNdarray(toNdarray(t).transpose(0, 2, 1));
    expect(tt.toArray()).toEqual(t.transpose(1, 2).toArray());
  });

  it('refuses what is not a Tensor', () => {
    expect(() => toNdarray(new Float32Array(2) as never)).toThrow(/expected a Tensor/);
  });
});

// ---------------------------------------------------------------------------------------------------------------
// The core entry must stay free of ndarray/ndarray-ops (they build code with `new Function`, which a strict CSP
// forbids) and of run-time code generation of its own. This walks the real import graph from src/index.ts.

const SRC = resolve(dirname(fileURLToPath(import.meta.url)), '../../src');
const FORBIDDEN_PACKAGES = ['ndarray', 'ndarray-ops'];
const GLOBAL_OBJECTS = ['globalThis', 'window', 'self', 'global'];
const SEPARATE_ENTRIES = [resolve(SRC, 'interop'), resolve(SRC, 'node')];

interface Scan {
  specifiers: string[];
  codegen: string[];
}

/** Module specifiers (static, re-export, dynamic import, require) and code-generating calls of one source. */
function scanSource(text: string, fileName: string): Scan {
  const file = ts.createSourceFile(fileName, text, ts.ScriptTarget.ES2022, true);
  const specifiers: string[] = [];
  const codegen: string[] = [];
  const isCodegenName = (e: ts.Expression): string | undefined => {
    if (ts.isIdentifier(e) && (e.text === 'Function' || e.text === 'eval')) return e.text;
    // Only on a global object: `model.eval()` (nn.Module's evaluation mode) is an ordinary method.
    if (
      ts.isPropertyAccessExpression(e) && (e.name.text === 'Function' || e.name.text === 'eval') &&
      ts.isIdentifier(e.expression) && GLOBAL_OBJECTS.includes(e.expression.text)
    ) {
      return e.name.text;
    }
    return undefined;
  };
  const visit = (node: ts.Node): void => {
    if ((ts.isImportDeclaration(node) || ts.isExportDeclaration(node)) && node.moduleSpecifier && ts.isStringLiteral(node.moduleSpecifier)) {
      specifiers.push(node.moduleSpecifier.text);
    } else if (ts.isImportEqualsDeclaration(node) && ts.isExternalModuleReference(node.moduleReference)) {
      const e = node.moduleReference.expression;
      if (ts.isStringLiteral(e)) specifiers.push(e.text);
    } else if (ts.isCallExpression(node)) {
      const callee = node.expression;
      const arg = node.arguments[0];
      if ((callee.kind === ts.SyntaxKind.ImportKeyword || (ts.isIdentifier(callee) && callee.text === 'require')) && arg) {
        specifiers.push(ts.isStringLiteralLike(arg) ? arg.text : `<computed: ${arg.getText(file)}>`);
      }
      const name = isCodegenName(callee);
      if (name) codegen.push(`${name}(...) at line ${file.getLineAndCharacterOfPosition(node.getStart(file)).line + 1}`);
    } else if (ts.isNewExpression(node)) {
      const name = isCodegenName(node.expression);
      if (name) codegen.push(`new ${name}(...) at line ${file.getLineAndCharacterOfPosition(node.getStart(file)).line + 1}`);
    }
    ts.forEachChild(node, visit);
  };
  visit(file);
  return { specifiers, codegen };
}

function resolveRelative(from: string, spec: string): string | undefined {
  const base = resolve(dirname(from), spec);
  const candidates = [base.replace(/\.js$/, '.ts'), base, `${base}.ts`, resolve(base, 'index.ts')];
  return candidates.find((c) => c.endsWith('.ts') && existsSync(c));
}

/** Every problem found walking the relative imports from `entry`: forbidden packages, entries reached, codegen. */
function checkCoreGraph(entry: string): { files: string[]; problems: string[]; packages: Set<string> } {
  const seen = new Set<string>();
  const problems: string[] = [];
  const packages = new Set<string>();
  const queue = [entry];
  while (queue.length > 0) {
    const file = queue.pop()!;
    if (seen.has(file)) continue;
    seen.add(file);
    const name = relative(SRC, file);
    if (SEPARATE_ENTRIES.some((dir) => file.startsWith(dir + sep))) {
      problems.push(`${name} is a separate entry point but the core imports it`);
    }
    const { specifiers, codegen } = scanSource(readFileSync(file, 'utf8'), file);
    for (const c of codegen) problems.push(`${name}: generates code at run time: ${c}`);
    for (const spec of specifiers) {
      if (spec.startsWith('.')) {
        const target = resolveRelative(file, spec);
        if (target === undefined) problems.push(`${name}: cannot resolve '${spec}'`);
        else queue.push(target);
        continue;
      }
      packages.add(spec);
      const pkg = spec.startsWith('@') ? spec.split('/').slice(0, 2).join('/') : spec.split('/')[0];
      if (FORBIDDEN_PACKAGES.includes(pkg)) problems.push(`${name}: imports '${spec}'`);
    }
  }
  return { files: [...seen].map((f) => relative(SRC, f)), problems, packages };
}

describe('the core entry (tapegrad)', () => {
  it('imports neither ndarray nor ndarray-ops, reaches no separate entry, and never builds code at run time', () => {
    const { files, problems } = checkCoreGraph(resolve(SRC, 'index.ts'));
    // the walk really followed the graph (tensor.ts is reached only through index.ts's imports)
    expect(files).toContain('tensor.ts');
    expect(files).toContain(['autograd', 'backward.ts'].join(sep));
    expect(problems).toEqual([]);
  });

  it('imports no Node built-ins (it must run in the browser)', () => {
    const { packages } = checkCoreGraph(resolve(SRC, 'index.ts'));
    const builtins = [...packages].filter((p) => p.startsWith('node:') || builtinModules.includes(p.split('/')[0]));
    expect(builtins).toEqual([]);
  });

  it('the checker itself catches what it guards against', () => {
    // the ndarray entry imports ndarray: starting the walk there must report it
    const fromInterop = checkCoreGraph(resolve(SRC, 'interop', 'ndarray.ts'));
    expect(fromInterop.problems.some((p) => p.includes("imports 'ndarray'"))).toBe(true);
    expect(fromInterop.problems.some((p) => p.includes("imports 'ndarray-ops'"))).toBe(true);
    const scan = scanSource(
      [
        "import ops from 'ndarray-ops';",
        "export * from 'ndarray';",
        "const m = await import('ndarray');",
        "const f = new Function('a', 'return a');",
        "const g = globalThis.eval('1 + 1');",
        "const h = Function('return 1');",
        'model.eval(); this.eval();',
        '// a comment that says new Function( or eval( is not code',
      ].join('\n'),
      'sample.ts',
    );
    expect(scan.specifiers).toEqual(['ndarray-ops', 'ndarray', 'ndarray']);
    expect(scan.codegen).toEqual(['new Function(...) at line 4', 'eval(...) at line 5', 'Function(...) at line 6']);
  });
});
