/**
 * Finding and running the examples: used by `npm run examples` (examples/run-all.ts) and by the exam index
 * (scripts/exams-index.ts), so both see the same examples in the same order.
 */
import { existsSync, readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { Example, ExampleResult, ExampleRow } from './example.js';

/** The examples folder. */
export const examplesDir = join(dirname(fileURLToPath(import.meta.url)), '..');

/** The example files of `dir` (not its sub-folders), sorted by name. */
export function exampleFiles(dir: string): string[] {
  if (!existsSync(dir)) return [];
  // Numeric order, so that 004-q2 comes before 004-q10.
  const files = readdirSync(dir).filter((f) => f.endsWith('.ts') && f !== 'run-all.ts');
  return files.sort((a, b) => a.localeCompare(b, 'en', { numeric: true })).map((f) => join(dir, f));
}

/** An example module, checked to follow the contract of lib/example.ts. */
export async function loadExample(file: string): Promise<Example> {
  const mod = (await import(pathToFileURL(file).href)) as Partial<Example>;
  if (!mod.meta || typeof mod.run !== 'function') throw new TypeError(`${file}: not an example (it must export meta and run())`);
  return mod as Example;
}

/** The summary-table rows of one example's result. */
export function rowsOf(example: Example, result: ExampleResult): ExampleRow[] {
  return result.rows ?? [{ id: example.meta.id, summary: result.summary, agrees: result.agrees }];
}
