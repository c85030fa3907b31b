/**
 * `npm run bench`. The benchmarks against tfjs-cpu, tfjs-wasm and convnetjs (workloads W1–W4) come with the
 * performance work (issue 6); until then this says so instead of printing numbers that were not measured.
 */
console.log('tapegrad benchmarks: not written yet. The side-by-side benchmarks (matmul, MLP and LeNet training');
console.log('steps, conv2d forward, against tfjs-cpu and tfjs-wasm) arrive with the performance issue.');
