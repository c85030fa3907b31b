/**
 * `npm run examples`: runs every example (examples/*.ts and examples/exams/*.ts), prints each worked answer, and
 * ends with a summary table: id, one-line result, and whether it agrees with its source document.
 */
import { readdirSync, existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { Example } from './lib/example.js';

const here = dirname(fileURLToPath(import.meta.url));
const skip = new Set(['run-all.ts']);

function files(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir).filter((f) => f.endsWith('.ts') && !skip.has(f)).sort().map((f) => join(dir, f));
}

const rows: Array<[string, string, string]> = [];
let failed = 0;
for (const file of [...files(here), ...files(join(here, 'exams'))]) {
  const mod = (await import(pathToFileURL(file).href)) as Partial<Example>;
  if (!mod.meta || typeof mod.run !== 'function') {
    console.error(`${file}: not an example (it must export meta and run())`);
    failed++;
    continue;
  }
  try {
    const result = mod.run();
    console.log(`\n${mod.meta.id}: ${mod.meta.title}`);
    for (const line of result.lines) console.log(`  ${line}`);
    for (const row of result.rows ?? [{ id: mod.meta.id, summary: result.summary, agrees: result.agrees }]) {
      rows.push([row.id, row.summary, row.agrees]);
    }
  } catch (e) {
    console.error(`\n${mod.meta.id}: FAILED: ${e instanceof Error ? e.stack : String(e)}`);
    rows.push([mod.meta.id, 'FAILED', '-']);
    failed++;
  }
}

const header: [string, string, string] = ['id', 'result', 'agrees with the document'];
const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
const line = (r: string[]) => `| ${r.map((c, i) => c.padEnd(widths[i])).join(' | ')} |`;
console.log(`\n${line(header)}\n|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`);
for (const r of rows) console.log(line(r));
console.log(`\n${rows.length - failed} examples ran, ${failed} failed`);
if (failed > 0) process.exitCode = 1;
