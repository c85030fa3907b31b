/**
 * Shared check of an example's `erratum:` lines against the errata of EXAMS.md (§4 and the entries' "Document"
 * bullets). Each erratum is described by the key content its line must carry (the corrected formula, the numbers),
 * not by its exact wording.
 */
import { expect } from 'vitest';

/**
 * The `erratum:` lines of `lines` are exactly one per group of `errata`: every group's patterns all match one line,
 * no two groups share a line, and there are as many lines as groups (so a swapped, emptied or extra line fails).
 */
export function expectErrata(lines: readonly string[], errata: ReadonlyArray<readonly RegExp[]>): void {
  const found = lines.filter((l) => l.startsWith('erratum:'));
  expect(found, 'number of erratum lines').toHaveLength(errata.length);
  const claimed = new Set<number>();
  errata.forEach((patterns, k) => {
    const i = found.findIndex((line, j) => !claimed.has(j) && patterns.every((p) => p.test(line)));
    expect(i, `erratum ${k + 1} (${patterns.join(' and ')}) among ${JSON.stringify(found)}`).toBeGreaterThanOrEqual(0);
    claimed.add(i);
  });
}
