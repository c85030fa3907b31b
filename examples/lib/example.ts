/**
 * The contract every example follows, so that `npm run examples` can run them all and tabulate them, and
 * test/examples/ can assert their numbers: an example exports `meta` and `run()`; run() computes and returns its
 * results (no printing), and `lines` turns them into the worked answer printed when the file is run directly.
 */
import { pathToFileURL } from 'node:url';

/** How an example's result compares with the document it comes from. */
export type Agreement = 'yes' | 'erratum' | 'reconstructed' | 'no answer given' | 'n/a';

export interface ExampleResult {
  /** One line for the summary table. */
  summary: string;
  agrees: Agreement;
  /** The worked answer, line by line. */
  lines: string[];
}

export interface ExampleMeta {
  id: string;
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
}
