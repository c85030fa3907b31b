/**
 * The contract every example follows, so that `npm run examples` can run them all and tabulate them, and
 * test/examples/ can assert their numbers: an example exports `meta` and `run()`; run() computes and returns its
 * results (no printing), and `lines` turns them into the worked answer printed when the file is run directly.
 */
import { pathToFileURL } from 'node:url';
import { type Plot, writePlots } from './plot.js';

/** How an example's result compares with the document it comes from. */
export type Agreement = 'yes' | 'erratum' | 'reconstructed' | 'no answer given' | 'n/a';

/** One row of the summary table (and of docs/exams.md). */
export interface ExampleRow {
  /** The entry's id, e.g. '004-Q7'. */
  id: string;
  /** The result in one line. */
  summary: string;
  agrees: Agreement;
}

export interface ExampleResult {
  /** One line for the summary table. */
  summary: string;
  agrees: Agreement;
  /** The worked answer, line by line (an erratum line starts with 'erratum:'). */
  lines: string[];
  /**
   * For a file that works several entries (sub-parts sharing inputs, e.g. 001-Q4a/b/c): one row per entry. Without
   * it, the example is one row with meta.id, summary and agrees.
   */
  rows?: ExampleRow[];
  /** Charts of the result (Vega-Lite specs with their data), rendered to examples/out/ by the runners. */
  plots?: Plot[];
}

export interface ExampleMeta {
  /** The entry's id (EXAMS.md), or the example's name; for a file with several entries, their common stem. */
  id: string;
  /** The question (or what the example does), in one line. */
  title: string;
}

export interface Example {
  meta: ExampleMeta;
  run(): ExampleResult;
}

/** Prints the worked answer when `moduleUrl` is the script node was started with. */
export function printIfMain(moduleUrl: string, example: Example): void {
  const entry = process.argv[1];
  if (entry === undefined || pathToFileURL(entry).href !== moduleUrl) return;
  const result = example.run();
  console.log(`${example.meta.id}: ${example.meta.title}`);
  for (const line of result.lines) console.log(`  ${line}`);
  if (result.plots?.length) {
    void writePlots(example.meta.id, result.plots).then((files) => {
      for (const f of files) console.log(`  plot: ${f}`);
    });
  }
}
