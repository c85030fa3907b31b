/**
 * Glue for building subjects: a tfjs subject is built while its backend is active and switches back to it before
 * each run (untimed); a workload lists a peer as n/a with the reason when the peer cannot express it.
 * @module
 */
import { type Peers, type Tf, type TfBackend, useBackend } from './peers.js';
import type { Subject, SubjectEntry } from './runner.js';

/** A tfjs subject on `backend`, made by `make` with that backend active. */
export function tfjsEntry(peers: Peers, backend: TfBackend, make: (tf: Tf) => Subject): SubjectEntry {
  return {
    build: async () => {
      if (backend === 'wasm' && peers.wasmError !== null) throw new Error(`tfjs-wasm did not start: ${peers.wasmError}`);
      const { tf } = peers;
      await useBackend(tf, backend);
      const subject = make(tf);
      return { ...subject, enter: () => useBackend(tf, backend) };
    },
  };
}

/** Both tfjs backends' entries for one workload. */
export function tfjsEntries(peers: Peers, make: (tf: Tf) => Subject): { 'tfjs-cpu': SubjectEntry; 'tfjs-wasm': SubjectEntry } {
  return { 'tfjs-cpu': tfjsEntry(peers, 'cpu', make), 'tfjs-wasm': tfjsEntry(peers, 'wasm', make) };
}

export function entry(make: () => Subject | Promise<Subject>): SubjectEntry {
  return { build: async () => make() };
}

/** A check that always passes, for training subjects whose losses the runner checks. */
export const LOSSES_CHECKED_BY_RUNNER = { ok: true, detail: '' } as const;
