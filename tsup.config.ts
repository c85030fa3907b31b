import { readFileSync, statSync, writeFileSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import { build, defineConfig } from 'tsup';

const entry = { index: 'src/index.ts', ndarray: 'src/interop/ndarray.ts', node: 'src/node/index.ts' };

/** The minified browser bundle, and the size it must stay under (issue 7: "under 150 kB", read as 150,000 bytes). */
export const BROWSER_BUNDLE = 'dist/browser/tapegrad.min.js';
export const BROWSER_BUNDLE_LIMIT = 150_000;

/**
 * Repairs namespace members that the declaration bundler (tsup's rollup-plugin-dts 6.1.1) emits as
 * `declare const ns_X: typeof X;` when X is imported from a shared chunk. That form keeps only X's value side, so
 * the type side is lost: `nn.Module` or `io.Checkpoint` could not be written as a type (TS2749), and a consumer with
 * skipLibCheck off got errors inside the .d.ts. Re-exporting the imported binding itself, as the plugin already
 * does for imports it had to rename, keeps both sides (and any type parameters). Returns the number repaired.
 */
export function fixNamespaceImports(file: string): number {
  const source = readFileSync(file, 'utf8');
  const imported = new Set<string>();
  for (const m of source.matchAll(/^import\s+(?:type\s+)?\{([^}]*)\}\s+from\s+['"][^'"]+['"];?\s*$/gm)) {
    for (const spec of m[1].split(',')) {
      const local = spec.trim().replace(/^type\s+/, '').split(/\s+as\s+/).pop()!.trim();
      if (local) imported.add(local);
    }
  }
  const aliases = new Map<string, string>();
  let text = source.replace(/^declare const ([\w$]+): typeof ([\w$]+);\n/gm, (line, alias: string, target: string) => {
    if (!imported.has(target)) return line;
    aliases.set(alias, target);
    return '';
  });
  for (const [alias, target] of aliases) {
    const escaped = alias.replace(/\$/g, '\\$');
    const uses = new RegExp(`(?<![\\w$])${escaped}(?![\\w$])`, 'g');
    text = text.replace(uses, target);
  }
  if (aliases.size > 0) writeFileSync(file, text);
  return aliases.size;
}

/** Prints the browser bundle's size and throws (failing the build) when it reaches the limit. */
function checkBrowserBundle(): void {
  const bytes = statSync(BROWSER_BUNDLE).size;
  const gzipped = gzipSync(readFileSync(BROWSER_BUNDLE)).length;
  const line = `browser bundle ${BROWSER_BUNDLE}: ${bytes.toLocaleString('en-US')} bytes `
    + `(gzip ${gzipped.toLocaleString('en-US')}), limit ${BROWSER_BUNDLE_LIMIT.toLocaleString('en-US')}`;
  if (bytes >= BROWSER_BUNDLE_LIMIT) throw new Error(`${line}: TOO LARGE`);
  console.log(line);
}

export default defineConfig([
  // Node and bundlers: ESM + CJS + types for each entry point. Code splitting (also for CJS) keeps a single copy of
  // the core shared by the entries, so a Tensor made through `tapegrad/ndarray` is `instanceof` the main Tensor.
  {
    entry,
    format: ['esm', 'cjs'],
    splitting: true,
    sourcemap: true,
    clean: true,
    target: 'es2022',
    outDir: 'dist',
    // The declarations are built here rather than with `dts: true` because tsup runs that in parallel with this
    // hook, and they need repairing once written (see fixNamespaceImports).
    async onSuccess() {
      await build({ config: false, entry, format: ['esm', 'cjs'], dts: { only: true }, target: 'es2022', outDir: 'dist' });
      for (const file of ['index', 'ndarray', 'node'].flatMap((name) => [`dist/${name}.d.ts`, `dist/${name}.d.cts`])) {
        const repaired = fixNamespaceImports(file);
        if (repaired > 0) console.log(`${file}: ${repaired} namespace re-exports of shared-chunk bindings repaired`);
      }
    },
  },
  // The browser: one minified ESM file with every dependency inside and no Node built-ins, loadable from
  // <script type="module"> under a CSP without 'unsafe-eval'.
  {
    entry: { 'tapegrad.min': 'src/index.ts' },
    format: ['esm'],
    platform: 'browser',
    target: 'es2022',
    minify: true,
    // Class names are not kept (esbuild's keepNames costs ~8.5 kB of __name calls): the library's layers state their
    // names in describe() and their messages, as the optimizers and schedulers do in `name`, so a model prints the
    // same in the browser as in Node (test/browser/csp.spec.ts checks it).
    keepNames: false,
    noExternal: [/.*/],
    splitting: false,
    sourcemap: true,
    clean: false,
    outDir: 'dist/browser',
    async onSuccess() {
      checkBrowserBundle();
    },
  },
]);
