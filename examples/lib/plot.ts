/**
 * Plots for the examples: an example describes each chart as a Vega-Lite spec (data included) in its result, and
 * the runners render them to SVG with Vega in Node (no canvas, no browser) into examples/out/. `npm run docs:exams`
 * copies them into docs/plots/ for docs/exams.md.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import * as vega from 'vega';
import { compile, type TopLevelSpec } from 'vega-lite';
import { examplesDir } from './load.js';

/** A chart: a file name (without extension) and its Vega-Lite spec. */
export interface Plot {
  /** File-name stem, e.g. 'loss-curves'; the file is `<example id>-<name>.svg`. */
  name: string;
  /** What the chart shows, in one line (used as the image's alt text). */
  title: string;
  spec: TopLevelSpec;
}

/** One named series of (x, y) points. */
export interface Series {
  name: string;
  points: ReadonlyArray<readonly [number, number]>;
}

/** Options of {@link lineChart}. */
export interface LineChartOptions {
  name: string;
  title: string;
  x: { label: string; log?: boolean };
  y: { label: string; log?: boolean; domain?: [number, number] };
  series: Series[];
  /** Draw points on the lines (for short series). */
  points?: boolean;
  width?: number;
  height?: number;
}

/** A line chart of one or more series, coloured by series name: the common case (loss curves, trajectories). */
export function lineChart(o: LineChartOptions): Plot {
  const values = o.series.flatMap((s) => s.points.map(([x, y]) => ({ series: s.name, x, y })));
  const spec: TopLevelSpec = {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    title: o.title,
    width: o.width ?? 420,
    height: o.height ?? 260,
    data: { values },
    mark: { type: 'line', point: o.points ?? false, clip: true },
    encoding: {
      x: { field: 'x', type: 'quantitative', title: o.x.label, scale: o.x.log ? { type: 'log' } : { zero: false } },
      y: {
        field: 'y', type: 'quantitative', title: o.y.label,
        scale: { ...(o.y.log ? { type: 'log' as const } : { zero: false }), ...(o.y.domain ? { domain: o.y.domain } : {}) },
      },
      color: { field: 'series', type: 'nominal', title: null, sort: o.series.map((s) => s.name) },
    },
  };
  return { name: o.name, title: o.title, spec };
}

/** The SVG text of a plot. */
export async function renderSvg(plot: Plot): Promise<string> {
  const view = new vega.View(vega.parse(compile(plot.spec).spec), { renderer: 'none' });
  try {
    return await view.toSVG();
  } finally {
    view.finalize();
  }
}

/** The folder plots are written to (git-ignored). */
export const outDir = join(examplesDir, 'out');

/** Renders `plots` of the example `id` into examples/out/; returns the files written. */
export async function writePlots(id: string, plots: readonly Plot[], dir = outDir): Promise<string[]> {
  mkdirSync(dir, { recursive: true });
  const files: string[] = [];
  for (const plot of plots) {
    const file = join(dir, `${plotFileStem(id, plot)}.svg`);
    writeFileSync(file, await renderSvg(plot));
    files.push(file);
  }
  return files;
}

/** `<id>-<name>`, lowercased, safe as a file name. */
export function plotFileStem(id: string, plot: Plot): string {
  return `${id}-${plot.name}`.toLowerCase().replace(/[^a-z0-9.-]+/g, '-');
}
