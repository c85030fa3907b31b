/**
 * W4: a conv2d forward, input 32×16×32×32 (NCHW), 32 filters 3×3, stride 1, padding 1, no bias, checked against a
 * float64 convolution at sampled points. tfjs gets the same numbers in its NHWC / HWIO layouts and explicit
 * padding 1; convnetjs runs a ConvLayer over the 32 samples one by one, and adds a zero bias (it has no
 * bias-free convolution), which costs one add per output.
 * @module
 */
import { Tensor, conv2d, tensor } from '../src/index.js';
import { type ConvProblem, checkConv2d } from './harness/checks.js';
import { NCHW_TO_NHWC, OIHW_TO_HWIO, Rng, normalArray, permute4d } from './harness/data.js';
import type { Peers, Tf } from './harness/peers.js';
import type { Subject, Workload } from './harness/runner.js';
import { entry, tfjsEntries } from './harness/subjects.js';

function w4Problem(seed = 11): ConvProblem {
  const rng = new Rng(seed);
  const n = 32, c = 16, h = 32, w = 32, o = 32, k = 3;
  return {
    n, c, h, w, o, kh: k, kw: k, padding: 1, stride: 1,
    x: normalArray(n * c * h * w, rng),
    weight: normalArray(o * c * k * k, rng, 1 / Math.sqrt(c * k * k)),
    bias: null,
  };
}

function tapegradSubject(p: ConvProblem): Subject {
  const x = tensor(p.x as Float32Array).reshape([p.n, p.c, p.h, p.w]);
  const weight = tensor(p.weight as Float32Array).reshape([p.o, p.c, p.kh, p.kw]);
  let out: Tensor | null = null;
  return {
    run: () => void (out = conv2d(x, weight, null, { padding: p.padding })),
    verify: () => {
      const d = out!.data;
      return checkConv2d(p, (n, o, y, xx) => d[((n * p.o + o) * p.h + y) * p.w + xx]);
    },
  };
}

function tfjsSubject(p: ConvProblem) {
  return (tf: Tf): Subject => {
    const x = tf.tensor4d(permute4d(p.x as Float32Array, [p.n, p.c, p.h, p.w], NCHW_TO_NHWC), [p.n, p.h, p.w, p.c]);
    const f = tf.tensor4d(permute4d(p.weight as Float32Array, [p.o, p.c, p.kh, p.kw], OIHW_TO_HWIO), [p.kh, p.kw, p.c, p.o]);
    let out: ReturnType<Tf['conv2d']> | null = null;
    return {
      run: () => {
        out?.dispose();
        out = tf.conv2d(x, f, 1, p.padding);
      },
      verify: () => {
        const d = out!.dataSync();
        return checkConv2d(p, (n, o, y, xx) => d[((n * p.h + y) * p.w + xx) * p.o + o]);
      },
      dispose: () => {
        tf.dispose([x, f]);
        out?.dispose();
      },
    };
  };
}

function convnetjsSubject(p: ConvProblem, peers: Peers): Subject {
  const cj = peers.convnetjs;
  const layer = new cj.ConvLayer({ in_sx: p.w, in_sy: p.h, in_depth: p.c, sx: p.kw, sy: p.kh, filters: p.o, stride: p.stride, pad: p.padding, bias_pref: 0 });
  // a filter volume is indexed (ky·kw + kx)·C + c: OIHW → OHWI
  const filters = permute4d(p.weight as Float32Array, [p.o, p.c, p.kh, p.kw], NCHW_TO_NHWC);
  const per = p.kh * p.kw * p.c;
  layer.filters!.forEach((v, o) => v.w.set(filters.subarray(o * per, (o + 1) * per)));
  const nhwc = permute4d(p.x as Float32Array, [p.n, p.c, p.h, p.w], NCHW_TO_NHWC);
  const size = p.h * p.w * p.c;
  const samples = Array.from({ length: p.n }, (_, i) => {
    const v = new cj.Vol(p.w, p.h, p.c, 0);
    v.w.set(nhwc.subarray(i * size, (i + 1) * size));
    return v;
  });
  let out: Float64Array[] = [];
  return {
    note: 'one sample at a time, plus a zero bias',
    run: () => {
      out = samples.map((v) => layer.forward(v).w);
    },
    verify: () => checkConv2d(p, (n, o, y, xx) => out[n][(y * p.w + xx) * p.o + o]),
  };
}

export function w4Workload(peers: Peers): Workload {
  const p = w4Problem();
  const [oh, ow] = [p.h, p.w]; // stride 1, padding 1, 3×3: same size
  return {
    id: 'W4',
    title: 'W4 conv2d forward: input 32×16×32×32, 32 filters 3×3, padding 1, no bias',
    flops: 2 * p.n * p.o * oh * ow * p.c * p.kh * p.kw,
    subjects: {
      tapegrad: entry(() => tapegradSubject(p)),
      ...tfjsEntries(peers, tfjsSubject(p)),
      convnetjs: entry(() => convnetjsSubject(p, peers)),
    },
  };
}
