/**
 * `npm run examples`: runs every example (examples/*.ts and examples/exams/*.ts), prints each worked answer, and
 * ends with a summary table: id, one-line result, and whether it agrees with its source document.
 */
import { join } from 'node:path';
import { exampleFiles, examplesDir, loadExample, rowsOf } from './lib/load.js';
import { writePlots } from './lib/plot.js';

const rows: Array<[string, string, string]> = [];
let failed = 0;
for (const file of [...exampleFiles(examplesDir), ...exampleFiles(join(examplesDir, 'exams'))]) {
  let id = file;
  try {
    const example = await loadExample(file);
    id = example.meta.id;
    const result = example.run();
    console.log(`\n${id}: ${example.meta.title}`);
    for (const line of result.lines) console.log(`  ${line}`);
    for (const file of await writePlots(id, result.plots ?? [])) console.log(`  plot: ${file}`);
    for (const row of rowsOf(example, result)) rows.push([row.id, row.summary, row.agrees]);
  } catch (e) {
    console.error(`\n${id}: FAILED: ${e instanceof Error ? e.stack : String(e)}`);
    rows.push([id, 'FAILED', '-']);
    failed++;
  }
}

const header: [string, string, string] = ['id', 'result', 'agrees with the document'];
const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
const line = (r: string[]) => `| ${r.map((c, i) => c.padEnd(widths[i])).join(' | ')} |`;
console.log(`\n${line(header)}\n|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`);
for (const r of rows) console.log(line(r));
console.log(`\n${rows.length - failed} rows, ${failed} examples failed`);
if (failed > 0) process.exitCode = 1;
