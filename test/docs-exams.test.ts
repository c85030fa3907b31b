/**
 * docs/exams.md is generated from the exam examples (npm run docs:exams); this fails when an example's result or
 * title changed and the index was not regenerated, or an example was added without being indexed.
 */
import { describe, expect, it } from 'vitest';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { examsIndex } from '../scripts/exams-index.js';
import { examplesDir } from '../examples/lib/load.js';

describe('docs/exams.md', () => {
  it('is the current index of examples/exams (regenerate with npm run docs:exams)', async () => {
    const committed = readFileSync(join(examplesDir, '..', 'docs', 'exams.md'), 'utf8');
    expect(committed).toBe((await examsIndex()).markdown);
    for (const [, path] of committed.matchAll(/\]\((plots\/[^)]+\.svg)\)/g)) {
      expect(existsSync(join(examplesDir, '..', 'docs', path)), path).toBe(true);
    }
  });
});
