import { defineConfig } from 'tsup';

export default defineConfig([
  // Node and bundlers: ESM + CJS + types for each entry point. Code splitting (also for CJS) keeps a single copy of
  // the core shared by the entries, so a Tensor made through `tapegrad/ndarray` is `instanceof` the main Tensor.
  {
    entry: { index: 'src/index.ts', ndarray: 'src/interop/ndarray.ts', node: 'src/node/index.ts' },
    format: ['esm', 'cjs'],
    dts: true,
    splitting: true,
    sourcemap: true,
    clean: true,
    target: 'es2022',
    outDir: 'dist',
  },
  // The browser: one minified ESM file with every dependency inside and no Node built-ins, loadable from
  // <script type="module"> under a CSP without 'unsafe-eval'.
  {
    entry: { 'tapegrad.min': 'src/index.ts' },
    format: ['esm'],
    platform: 'browser',
    target: 'es2022',
    minify: true,
    noExternal: [/.*/],
    splitting: false,
    sourcemap: true,
    clean: false,
    outDir: 'dist/browser',
  },
]);
