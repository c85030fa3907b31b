/**
 * Every ```ts block of README.md and of the guides in docs/ runs as written (with 'tapegrad' resolved to the source tree), so a
 * guide cannot drift from the library.
 */
import { describe, expect, it } from 'vitest';
import { mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const docs = join(root, 'docs');
const scratch = join(root, 'test', '.docs-tmp');

const guides = [join(root, 'README.md'), ...readdirSync(docs).filter((f) => f.endsWith('.md')).map((f) => join(docs, f))];
const blocks = guides
  .flatMap((path) => [...readFileSync(path, 'utf8').matchAll(/```ts\n([\s\S]*?)```/g)].map((m, i) => ({ file: basename(path), index: i, code: m[1] })));

describe('docs code samples', () => {
  it('finds the samples', () => {
    expect(blocks.length).toBeGreaterThan(0);
  });
  for (const { file, index, code } of blocks) {
    it(`${file} sample ${index + 1} runs`, async () => {
      mkdirSync(scratch, { recursive: true });
      const path = join(scratch, `${file.replace(/\W/g, '_')}_${index}.ts`);
      const source = code.replace(/from 'tapegrad'/g, `from '${pathToFileURL(join(root, 'src', 'index.ts')).href}'`);
      writeFileSync(path, source);
      const logs: unknown[][] = [];
      const original = console.log;
      console.log = (...args: unknown[]) => logs.push(args);
      try {
        await import(pathToFileURL(path).href);
      } finally {
        console.log = original;
        rmSync(path);
      }
      // A printed value whose comment states it (`// [0.75, 4.32, 12]`, `// true`) must be that value.
      const printing = code.split('\n').filter((l) => l.includes('console.log('));
      expect(logs.length).toBe(printing.length);
      printing.forEach((line, i) => {
        const stated = line.split('//')[1]?.split(/:|,? about/)[0].trim() ?? '';
        if (stated.startsWith('[')) {
          const values = JSON.parse(stated) as number[];
          const got = logs[i][0] as number[];
          expect(got).toHaveLength(values.length);
          values.forEach((v, k) => expect(got[k]).toBeCloseTo(v, 9));
        } else if (/^(true|false)\b/.test(stated)) {
          expect(logs[i][0]).toBe(stated.startsWith('true'));
        }
      });
    });
  }
});
