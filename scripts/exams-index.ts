/**
 * `npm run docs:exams`: writes docs/exams.md, the index of the exam examples (id, question, result, status, link),
 * by running every example in examples/exams/. test/docs-exams.test.ts checks that the committed file is current.
 */
import { writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { exampleFiles, examplesDir, loadExample, rowsOf } from '../examples/lib/load.js';
import type { Agreement } from '../examples/lib/example.js';

const status: Record<Agreement, string> = {
  yes: 'agrees',
  erratum: 'erratum (the example says what is wrong)',
  reconstructed: 'inputs reconstructed',
  'no answer given': 'no answer given',
  'n/a': 'n/a',
};

/** The markdown of docs/exams.md. */
export async function examsIndex(): Promise<string> {
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
  for (const file of exampleFiles(join(examplesDir, 'exams'))) {
    const example = await loadExample(file);
    const result = example.run();
    for (const row of rowsOf(example, result)) {
      const cells = [row.id, example.meta.title, row.summary, status[row.agrees], `[${basename(file)}](../examples/exams/${basename(file)})`];
      lines.push(`| ${cells.map((c) => c.replace(/\|/g, '\\|')).join(' | ')} |`);
    }
  }
  return `${lines.join('\n')}\n`;
}

if (process.argv[1]?.endsWith('exams-index.ts')) {
  writeFileSync(join(examplesDir, '..', 'docs', 'exams.md'), await examsIndex());
  console.log('wrote docs/exams.md');
}
