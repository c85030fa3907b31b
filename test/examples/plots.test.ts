/**
 * The entries whose point is a curve (issue 5's list) draw it, and a plot renders to SVG with Vega in Node.
 */
import { describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { examplesDir, loadExample } from '../../examples/lib/load.js';
import { renderSvg } from '../../examples/lib/plot.js';

const curveEntries = [
  '000-sa8-learning-curves.ts', '004-q3-learning-curves.ts', '001-q4e-batch-vs-minibatch.ts', '001-q4f-step-decay-drop.ts',
  '003-q2-learning-rate.ts', '000-tf6-momentum-overshoot.ts', '003-q3-saddle-escape.ts',
];

describe('plots', () => {
  for (const file of curveEntries) {
    it(`${file} draws its curves`, async () => {
      const example = await loadExample(join(examplesDir, 'exams', file));
      const { plots = [] } = example.run();
      expect(plots.length).toBeGreaterThan(0);
      for (const plot of plots) {
        const values = (plot.spec as { data?: { values?: unknown[] } }).data?.values ?? [];
        const layered = JSON.stringify(plot.spec).includes('"values"');
        expect(values.length > 0 || layered, plot.name).toBe(true);
      }
    });
  }

  it('renders a chart to an SVG with a drawn line', async () => {
    const example = await loadExample(join(examplesDir, 'exams', '000-tf6-momentum-overshoot.ts'));
    const [plot] = example.run().plots!;
    const svg = await renderSvg(plot);
    expect(svg.startsWith('<svg')).toBe(true);
    expect(svg).toMatch(/<path[^>]+d="M[\d.,\-\sLMCZ]+"/);
    expect(svg).toContain(plot.title);
  });
});
