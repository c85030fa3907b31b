import { buildDemo } from '../../examples/browser/build.js';

/** Builds the demo's scripts and digits (and the library bundle, if dist/ lacks it) once for all browser specs. */
export default function setup(): void {
  buildDemo();
}
