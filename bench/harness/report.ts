/**
 * The printed report: markdown tables (readable in a terminal, pasteable into the README), the checks, and the
 * issue's targets read off the measured figures.
 * @module
 */
import { type CellResult, type Lib, PEERS, type WorkloadResult } from './runner.js';

export function formatMs(ms: number): string {
  if (ms >= 100) return `${ms.toFixed(0)} ms`;
  if (ms >= 10) return `${ms.toFixed(1)} ms`;
  if (ms >= 1) return `${ms.toFixed(2)} ms`;
  return `${ms.toFixed(3)} ms`;
}

export function formatGflops(g: number): string {
  return g >= 10 ? g.toFixed(1) : g.toFixed(2);
}

export function formatSpeedup(s: number): string {
  return s >= 10 ? `${s.toFixed(0)}×` : `${s.toFixed(2)}×`;
}

function cellText(c: CellResult | undefined): string {
  if (!c) return '—';
  if (c.status === 'n/a') return 'n/a';
  if (c.status === 'fails') return `fails (${c.reason})`;
  const t = c.medianMs === undefined ? 'no timing' : formatMs(c.medianMs) + (c.gflops !== undefined ? ` (${formatGflops(c.gflops)} GFLOPS)` : '');
  return c.status === 'wrong' ? `WRONG: ${t}` : t;
}

function table(header: string[], rows: string[][]): string {
  const line = (cells: string[]) => `| ${cells.map((c) => c.replace(/\|/g, '\\|')).join(' | ')} |`;
  return [line(header), line(header.map(() => '---')), ...rows.map(line)].join('\n');
}

/** W1–W4: each library's median, then tapegrad's speedup over each peer. */
export function mainTables(results: readonly WorkloadResult[], libs: readonly Lib[]): string {
  const times = table(['workload', ...libs], results.map((r) => [r.title, ...libs.map((l) => cellText(r.cells[l]))]));
  const peers = libs.filter((l) => l !== 'tapegrad');
  const ratios = table(
    ['workload', ...peers.map((p) => `vs ${p}`)],
    results.map((r) => [r.id, ...peers.map((p) => (r.speedup[p] !== undefined ? formatSpeedup(r.speedup[p]!) : '—'))]),
  );
  const notes = results.flatMap((r) => libs.flatMap((l) => (r.cells[l]?.note ? [`- ${r.id} ${l}: ${r.cells[l]!.note}`] : [])));
  const noteText = notes.length ? `\n\n${notes.join('\n')}` : '';
  return `${times}${noteText}\n\ntapegrad's speedup = peer ms / tapegrad ms (above 1×: tapegrad is faster)\n\n${ratios}`;
}

/** The matmul variants: GFLOPS of each library and tapegrad's speedup over tfjs-cpu (the target) and wasm. */
export function variantTable(results: readonly WorkloadResult[]): string {
  const g = (c: CellResult | undefined) =>
    c?.status === 'ok' && c.gflops !== undefined ? formatGflops(c.gflops) : c ? (c.status === 'ok' ? '—' : c.status) : '—';
  const s = (r: WorkloadResult, l: Lib) => (r.speedup[l] !== undefined ? formatSpeedup(r.speedup[l]!) : '—');
  return table(
    ['product', 'tapegrad GFLOPS', 'tapegrad ms', 'tfjs-cpu GFLOPS', 'speedup vs tfjs-cpu', 'tfjs-wasm GFLOPS', 'speedup vs tfjs-wasm'],
    results.map((r) => [
      r.title,
      g(r.cells.tapegrad),
      r.cells.tapegrad?.medianMs !== undefined ? formatMs(r.cells.tapegrad.medianMs) : '—',
      g(r.cells['tfjs-cpu']),
      s(r, 'tfjs-cpu'),
      g(r.cells['tfjs-wasm']),
      s(r, 'tfjs-wasm'),
    ]),
  );
}

/** One line per cell: what was checked, or why it is n/a / fails / wrong; `brief` keeps only the problems. */
export function checkLines(results: readonly WorkloadResult[], brief: boolean): string[] {
  const lines: string[] = [];
  for (const r of results) {
    for (const lib of ['tapegrad', ...PEERS] as Lib[]) {
      const c = r.cells[lib];
      if (!c) continue;
      const note = c.note ? ` [${c.note}]` : '';
      if (c.status === 'ok') {
        if (!brief) lines.push(`  ok     ${r.id} ${lib}: ${c.check?.detail ?? ''}${note}`);
      } else if (c.status === 'wrong') {
        lines.push(`  WRONG  ${r.id} ${lib}: ${c.reason}`);
      } else if (!brief) {
        lines.push(`  ${c.status.padEnd(6)} ${r.id} ${lib}: ${c.reason}`);
      }
    }
  }
  return lines;
}

export interface TargetLine {
  target: string;
  met: boolean | null;
  measured: string;
}

/** The targets, each read off the figures (null when a figure needed for it is missing). */
export function targets(main: readonly WorkloadResult[], variants: readonly WorkloadResult[]): TargetLine[] {
  const byId = new Map(main.map((r) => [r.id, r]));
  const ms = (id: string, lib: Lib) => {
    const c = byId.get(id)?.cells[lib];
    return c?.status === 'ok' ? c.medianMs : undefined;
  };
  const out: TargetLine[] = [];
  if (variants.length > 0) {
    const rows = variants.map((r) => ({ id: r.id, s: r.speedup['tfjs-cpu'], g: r.cells.tapegrad?.status === 'ok' ? r.cells.tapegrad.gflops : undefined }));
    const missing = rows.filter((r) => r.s === undefined || r.g === undefined);
    const measured = rows.filter((r) => r.s !== undefined && r.g !== undefined);
    const fastEnough = measured.filter((r) => r.s! >= 4).length;
    const enoughFlops = measured.filter((r) => r.g! >= 6).length;
    const short = measured.filter((r) => !(r.s! >= 4 && r.g! >= 6));
    const worstS = Math.min(...measured.map((r) => r.s!));
    const worstG = Math.min(...measured.map((r) => r.g!));
    const listed = short.slice(0, 4).map((r) => r.id).join(', ') + (short.length > 4 ? `, and ${short.length - 4} more` : '');
    out.push({
      target: 'matmul variants ≥ 4× tfjs-cpu and ≥ 6 GFLOPS',
      met: missing.length > 0 ? null : short.length === 0,
      measured:
        `≥ 4× in ${fastEnough} of ${rows.length} products (lowest ${measured.length ? formatSpeedup(worstS) : '—'}), ` +
        `≥ 6 GFLOPS in ${enoughFlops} of ${rows.length} (lowest ${measured.length ? formatGflops(worstG) : '—'})` +
        (missing.length ? `; ${missing.length} not measured` : '') +
        (short.length ? `; short: ${listed}` : ''),
    });
  }
  const ratio = (id: string, peer: Lib, want: number, label: string) => {
    const a = ms(id, 'tapegrad');
    const b = ms(id, peer);
    if (!byId.has(id)) return;
    out.push({
      target: label,
      met: a === undefined || b === undefined ? null : b / a >= want,
      measured: a === undefined || b === undefined ? 'not measured' : `${formatMs(a)} vs ${formatMs(b)}: ${formatSpeedup(b / a)}`,
    });
  };
  ratio('W2', 'tfjs-wasm', 1, 'W2 at least as fast as tfjs-wasm');
  ratio('W3', 'tfjs-cpu', 50, 'W3 ≥ 50× tfjs-cpu');
  ratio('W3', 'convnetjs', 4, 'W3 ≥ 4× convnetjs');
  ratio('W4', 'tfjs-cpu', 5, 'W4 ≥ 5× tfjs-cpu');
  return out;
}

export function targetLines(t: readonly TargetLine[]): string[] {
  return t.map((l) => `  ${l.met === null ? '?  ' : l.met ? 'met' : 'NOT'}  ${l.target}: ${l.measured}`);
}
