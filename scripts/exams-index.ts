/**
 * `npm run docs:exams`: writes docs/exams.md, the index of the exam examples (id, question, result, status, link,
 * and the plots), by running every example in examples/exams/, and copies the plots they draw from examples/out/
 * into docs/plots/. test/docs-exams.test.ts checks that the committed index is current and its plots exist.
 */
import { copyFileSync, mkdirSync, writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { exampleFiles, examplesDir, loadExample, rowsOf } from '../examples/lib/load.js';
import type { Agreement } from '../examples/lib/example.js';
import { type Plot, plotFileStem, writePlots } from '../examples/lib/plot.js';

const status: Record<Agreement, string> = {
  yes: 'agrees',
  erratum: 'erratum (the example says what is wrong)',
  reconstructed: 'inputs reconstructed',
  'no answer given': 'no answer given',
  'n/a': 'n/a',
};

/** The markdown of docs/exams.md, and the plots it shows (by example id). */
export async function examsIndex(): Promise<{ markdown: string; plots: Array<{ id: string; plots: Plot[] }> }> {
  const lines = [
    '---',
    'title: The exams index',
    '---',
    '',
    '# The exams index',
    '',
    'Every computation of the five founding documents (deep-learning exams and a tutorial) ships as an example that',
    'tapegrad itself computes, with a test. Run one with `npx tsx examples/exams/<file>.ts`; `npm run examples` runs',
    'them all. Where a document\'s answer is wrong, the example prints an `erratum:` line saying what and why.',
    '',
    '| id | question | result | status | example |',
    '|---|---|---|---|---|',
  ];
  const plots: Array<{ id: string; plots: Plot[] }> = [];
  const figures: string[] = [];
  for (const file of exampleFiles(join(examplesDir, 'exams'))) {
    const example = await loadExample(file);
    const result = example.run();
    for (const row of rowsOf(example, result)) {
      const cells = [row.id, example.meta.title, row.summary, status[row.agrees], `[${basename(file)}](../examples/exams/${basename(file)})`];
      lines.push(`| ${cells.map((c) => c.replace(/\|/g, '\\|')).join(' | ')} |`);
    }
    if (result.plots?.length) {
      plots.push({ id: example.meta.id, plots: result.plots });
      figures.push('', `### ${example.meta.id}: ${example.meta.title}`, '');
      for (const plot of result.plots) figures.push(`![${plot.title}](plots/${plotFileStem(example.meta.id, plot)}.svg)`, '');
    }
  }
  if (figures.length > 0) lines.push('', '## Plots', '', 'Drawn by the examples themselves (Vega-Lite, rendered to SVG by Vega in Node).', ...figures);
  return { markdown: `${lines.join('\n').replace(/\n+$/, '')}\n`, plots };
}

if (process.argv[1]?.endsWith('exams-index.ts')) {
  const { markdown, plots } = await examsIndex();
  const docs = join(examplesDir, '..', 'docs');
  writeFileSync(join(docs, 'exams.md'), markdown);
  // The plots go to examples/out/ like every run's, then are copied next to the index.
  mkdirSync(join(docs, 'plots'), { recursive: true });
  let copied = 0;
  for (const { id, plots: list } of plots) {
    for (const file of await writePlots(id, list)) {
      copyFileSync(file, join(docs, 'plots', basename(file)));
      copied++;
    }
  }
  console.log(`wrote docs/exams.md and ${copied} plots in docs/plots/`);
}
