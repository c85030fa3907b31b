/**
 * The training workloads. W2: an MLP step, 784 → Dense 256 + ReLU → Dense 10, softmax cross-entropy, batch 64,
 * SGD lr 0.1. W3: a LeNet-like step, 1×28×28 → Conv 8@5×5 + ReLU → MaxPool 2 → Conv 16@5×5 + ReLU → MaxPool 2 →
 * Dense 10, softmax cross-entropy, batch 32, SGD lr 0.1.
 *
 * Every library starts from the same weights (PyTorch's default initialisation, drawn by the harness) and trains on
 * the same fixed batch (pixels in [0, 1), random labels, which a step of SGD can fit), so the losses must fall and
 * must follow tapegrad's step by step. One timed run is a whole step: forward, loss, backward, update, and reading
 * the loss back as a number. Each library uses its leanest path: tapegrad's layers and optimizer; tfjs ops on
 * variables with tf.train.sgd().minimize (no tf.layers bookkeeping), weights in its [in, out] layout; convnetjs's
 * Net and Trainer, which train one sample at a time and apply the mean gradient after batch-size samples.
 * @module
 */
import { Generator, type Tensor, nn, optim, tensor } from '../src/index.js';
import { type TrajectoryTolerance } from './harness/checks.js';
import { NCHW_TO_NHWC, OIHW_TO_HWIO, Rng, labelArray, layerInit, oneHot, permute4d, transpose2d, uniformArray } from './harness/data.js';
import type { ConvnetVol, Peers, Tf } from './harness/peers.js';
import type { Subject, Workload } from './harness/runner.js';
import { LOSSES_CHECKED_BY_RUNNER, entry, tfjsEntries } from './harness/subjects.js';

const LR = 0.1;

/**
 * How far a peer's loss may be from tapegrad's, relative. Step 1 is a forward pass on identical weights and data,
 * so only float32 rounding separates them; later steps also carry the rounding of earlier updates forward. Measured
 * over 20-step runs of W2 and W3 here, the largest difference from tapegrad at any step was 2.1e-7 (tfjs-wasm;
 * tfjs-cpu 1.2e-7, convnetjs, in float64, 5.5e-8). The limits leave a wide margin over that and are still far
 * below what a real difference makes: a loss summed instead of averaged is off by the batch size (64× or 32×) at
 * step 1, and half the learning rate moves W2's step-2 loss by 2.7% (2.2489 instead of 2.1906).
 */
const TRAJECTORY: TrajectoryTolerance = { first: 1e-5, later: 1e-4 };

// ---------------------------------------------------------------------------------------------------------- W2

interface W2Data {
  batch: number;
  x: Float32Array; // [64, 784]
  labels: Float32Array; // [64]
  w1: Float32Array; // [256, 784]
  b1: Float32Array;
  w2: Float32Array; // [10, 256]
  b2: Float32Array;
}

export function w2Data(seed = 7): W2Data {
  const rng = new Rng(seed);
  const batch = 64;
  return {
    batch,
    x: uniformArray(batch * 784, rng, 0, 1),
    labels: labelArray(batch, 10, rng),
    w1: layerInit(256 * 784, 784, rng),
    b1: layerInit(256, 784, rng),
    w2: layerInit(10 * 256, 256, rng),
    b2: layerInit(10, 256, rng),
  };
}

/** The W2 model in tapegrad with the given initial weights. */
export function w2TapegradModel(d: W2Data): nn.Sequential {
  const generator = new Generator(0); // replaced below; keeps the default generator untouched
  const fc1 = new nn.Dense(784, 256, { generator });
  const fc2 = new nn.Dense(256, 10, { generator });
  fc1.weight.data.set(d.w1);
  fc1.bias!.data.set(d.b1);
  fc2.weight.data.set(d.w2);
  fc2.bias!.data.set(d.b2);
  return new nn.Sequential(fc1, new nn.ReLU(), fc2);
}

function w2Tapegrad(d: W2Data): Subject {
  const model = w2TapegradModel(d);
  return tapegradTrainer(model, tensor(d.x).reshape([d.batch, 784]), tensor(d.labels));
}

function w2Tfjs(d: W2Data) {
  return (tf: Tf): Subject => {
    const x = tf.tensor2d(d.x, [d.batch, 784]);
    const y = tf.tensor2d(oneHot(d.labels, 10), [d.batch, 10]);
    const w1 = tf.variable(tf.tensor2d(transpose2d(d.w1, 256, 784), [784, 256]));
    const b1 = tf.variable(tf.tensor1d(d.b1));
    const w2 = tf.variable(tf.tensor2d(transpose2d(d.w2, 10, 256), [256, 10]));
    const b2 = tf.variable(tf.tensor1d(d.b2));
    const vars = [w1, b1, w2, b2];
    const opt = tf.train.sgd(LR);
    const lossOf = () => tf.losses.softmaxCrossEntropy(y, tf.add(tf.matMul(tf.relu(tf.add(tf.matMul(x, w1), b1)), w2), b2)) as ReturnType<Tf['scalar']>;
    return tfjsTrainer(tf, opt, lossOf, vars, [x, y]);
  };
}

function w2Convnetjs(d: W2Data, peers: Peers): Subject {
  const cj = peers.convnetjs;
  const net = new cj.Net();
  net.makeLayers([
    { type: 'input', out_sx: 1, out_sy: 1, out_depth: 784 },
    { type: 'fc', num_neurons: 256, activation: 'relu' },
    { type: 'softmax', num_classes: 10 },
  ]);
  // layers: input, fc 256, relu, fc 10, softmax
  setDense(net.layers[1].filters!, net.layers[1].biases!, d.w1, d.b1, 784);
  setDense(net.layers[3].filters!, net.layers[3].biases!, d.w2, d.b2, 256);
  const trainer = new cj.Trainer(net, { method: 'sgd', learning_rate: LR, batch_size: d.batch, momentum: 0, l2_decay: 0 });
  const samples = Array.from({ length: d.batch }, (_, i) => {
    const v = new cj.Vol(1, 1, 784, 0);
    v.w.set(d.x.subarray(i * 784, (i + 1) * 784));
    return v;
  });
  return convnetjsTrainer(samples, d.labels, (v, label) => trainer.train(v, label).cost_loss);
}

export function w2Workload(peers: Peers): Workload {
  const d = w2Data();
  return {
    id: 'W2',
    title: 'W2 MLP step: 784 → Dense 256 + ReLU → Dense 10, softmax CE, batch 64, SGD lr 0.1',
    training: { trajectory: TRAJECTORY },
    subjects: {
      tapegrad: entry(() => w2Tapegrad(d)),
      ...tfjsEntries(peers, w2Tfjs(d)),
      convnetjs: entry(() => w2Convnetjs(d, peers)),
    },
  };
}

// ---------------------------------------------------------------------------------------------------------- W3

interface W3Data {
  batch: number;
  x: Float32Array; // [32, 1, 28, 28]
  labels: Float32Array;
  c1w: Float32Array; // [8, 1, 5, 5]
  c1b: Float32Array;
  c2w: Float32Array; // [16, 8, 5, 5]
  c2b: Float32Array;
  fw: Float32Array; // [10, 256], input index c·16 + y·4 + x (tapegrad's flatten of [16, 4, 4])
  fb: Float32Array;
}

function w3Data(seed = 9): W3Data {
  const rng = new Rng(seed);
  const batch = 32;
  return {
    batch,
    x: uniformArray(batch * 28 * 28, rng, 0, 1),
    labels: labelArray(batch, 10, rng),
    c1w: layerInit(8 * 25, 25, rng),
    c1b: layerInit(8, 25, rng),
    c2w: layerInit(16 * 8 * 25, 200, rng),
    c2b: layerInit(16, 200, rng),
    fw: layerInit(10 * 256, 256, rng),
    fb: layerInit(10, 256, rng),
  };
}

/** The final dense weights with their inputs in channels-last order ((y·4 + x)·16 + c), as tfjs and convnetjs flatten. */
function denseChannelsLast(d: W3Data): Float32Array {
  return permute4d(d.fw, [10, 16, 4, 4], NCHW_TO_NHWC);
}

function w3Tapegrad(d: W3Data): Subject {
  const generator = new Generator(0);
  const c1 = new nn.Conv2d(1, 8, 5, { generator });
  const c2 = new nn.Conv2d(8, 16, 5, { generator });
  const fc = new nn.Dense(256, 10, { generator });
  c1.weight.data.set(d.c1w);
  c1.bias!.data.set(d.c1b);
  c2.weight.data.set(d.c2w);
  c2.bias!.data.set(d.c2b);
  fc.weight.data.set(d.fw);
  fc.bias!.data.set(d.fb);
  const model = new nn.Sequential(c1, new nn.ReLU(), new nn.MaxPool2d(2), c2, new nn.ReLU(), new nn.MaxPool2d(2), new nn.Flatten(), fc);
  return tapegradTrainer(model, tensor(d.x).reshape([d.batch, 1, 28, 28]), tensor(d.labels));
}

function w3Tfjs(d: W3Data) {
  return (tf: Tf): Subject => {
    const x = tf.tensor4d(permute4d(d.x, [d.batch, 1, 28, 28], NCHW_TO_NHWC), [d.batch, 28, 28, 1]);
    const y = tf.tensor2d(oneHot(d.labels, 10), [d.batch, 10]);
    const f1 = tf.variable(tf.tensor4d(permute4d(d.c1w, [8, 1, 5, 5], OIHW_TO_HWIO), [5, 5, 1, 8]));
    const b1 = tf.variable(tf.tensor1d(d.c1b));
    const f2 = tf.variable(tf.tensor4d(permute4d(d.c2w, [16, 8, 5, 5], OIHW_TO_HWIO), [5, 5, 8, 16]));
    const b2 = tf.variable(tf.tensor1d(d.c2b));
    const wd = tf.variable(tf.tensor2d(transpose2d(denseChannelsLast(d), 10, 256), [256, 10]));
    const bd = tf.variable(tf.tensor1d(d.fb));
    const vars = [f1, b1, f2, b2, wd, bd];
    const opt = tf.train.sgd(LR);
    type T4 = ReturnType<Tf['tensor4d']>;
    const lossOf = () => {
      let h = tf.maxPool(tf.relu(tf.add(tf.conv2d(x, f1, 1, 'valid'), b1)) as T4, 2, 2, 'valid');
      h = tf.maxPool(tf.relu(tf.add(tf.conv2d(h, f2, 1, 'valid'), b2)) as T4, 2, 2, 'valid');
      const logits = tf.add(tf.matMul(tf.reshape(h, [d.batch, 256]), wd), bd);
      return tf.losses.softmaxCrossEntropy(y, logits) as ReturnType<Tf['scalar']>;
    };
    return tfjsTrainer(tf, opt, lossOf, vars, [x, y]);
  };
}

function w3Convnetjs(d: W3Data, peers: Peers): Subject {
  const cj = peers.convnetjs;
  const net = new cj.Net();
  net.makeLayers([
    { type: 'input', out_sx: 28, out_sy: 28, out_depth: 1 },
    { type: 'conv', sx: 5, filters: 8, stride: 1, pad: 0, activation: 'relu' },
    { type: 'pool', sx: 2, stride: 2 },
    { type: 'conv', sx: 5, filters: 16, stride: 1, pad: 0, activation: 'relu' },
    { type: 'pool', sx: 2, stride: 2 },
    { type: 'softmax', num_classes: 10 },
  ]);
  // layers: input, conv, relu, pool, conv, relu, pool, fc, softmax; a filter volume is indexed (ky·5 + kx)·C + c
  setDense(net.layers[1].filters!, net.layers[1].biases!, permute4d(d.c1w, [8, 1, 5, 5], NCHW_TO_NHWC), d.c1b, 25);
  setDense(net.layers[4].filters!, net.layers[4].biases!, permute4d(d.c2w, [16, 8, 5, 5], NCHW_TO_NHWC), d.c2b, 200);
  setDense(net.layers[7].filters!, net.layers[7].biases!, denseChannelsLast(d), d.fb, 256);
  const trainer = new cj.Trainer(net, { method: 'sgd', learning_rate: LR, batch_size: d.batch, momentum: 0, l2_decay: 0 });
  const samples = Array.from({ length: d.batch }, (_, i) => {
    const v = new cj.Vol(28, 28, 1, 0);
    v.w.set(d.x.subarray(i * 784, (i + 1) * 784)); // one channel: NCHW and the volume's order coincide
    return v;
  });
  return convnetjsTrainer(samples, d.labels, (v, label) => trainer.train(v, label).cost_loss);
}

export function w3Workload(peers: Peers): Workload {
  const d = w3Data();
  return {
    id: 'W3',
    title: 'W3 LeNet-like step: 1×28×28 → Conv 8@5×5 + ReLU → MaxPool 2 → Conv 16@5×5 + ReLU → MaxPool 2 → Dense 10, softmax CE, batch 32, SGD lr 0.1',
    training: { trajectory: TRAJECTORY },
    subjects: {
      tapegrad: entry(() => w3Tapegrad(d)),
      ...tfjsEntries(peers, w3Tfjs(d)),
      convnetjs: entry(() => w3Convnetjs(d, peers)),
    },
  };
}

// --------------------------------------------------------------------------------------------------- convnetjs

/** Copies [out, fanIn] weights (row o = filter o's volume, in its index order) and biases into a convnetjs layer. */
function setDense(filters: ConvnetVol[], biases: ConvnetVol, w: Float32Array, b: Float32Array, fanIn: number): void {
  if (filters.length * fanIn !== w.length || filters[0].w.length !== fanIn) throw new Error('convnetjs: weight shapes do not match');
  filters.forEach((f, o) => f.w.set(w.subarray(o * fanIn, (o + 1) * fanIn)));
  biases.w.set(b);
}

/** One tapegrad step: SGD on softmax cross-entropy, recording the loss before the update. */
function tapegradTrainer(model: nn.Module, x: Tensor, y: Tensor): Subject {
  const opt = new optim.SGD(model.parameters(), { lr: LR });
  const lossFn = new nn.CrossEntropyLoss();
  const losses: number[] = [];
  return {
    losses,
    run: () => {
      opt.zeroGrad();
      const loss = lossFn.forward(model.forward(x), y);
      loss.backward();
      opt.step();
      losses.push(loss.item());
    },
    verify: () => LOSSES_CHECKED_BY_RUNNER,
  };
}

/** One tfjs step: opt.minimize over `vars`, recording the loss before the update; dispose frees every tensor. */
function tfjsTrainer(
  tf: Tf, opt: ReturnType<Tf['train']['sgd']>, lossOf: () => ReturnType<Tf['scalar']>,
  vars: Array<ReturnType<Tf['variable']>>, data: Array<ReturnType<Tf['tensor']>>,
): Subject {
  const losses: number[] = [];
  return {
    losses,
    run: () => {
      const loss = opt.minimize(lossOf, true, vars)!;
      losses.push(loss.dataSync()[0]);
      loss.dispose();
    },
    verify: () => LOSSES_CHECKED_BY_RUNNER,
    dispose: () => {
      tf.dispose([...data, ...vars]);
      opt.dispose();
    },
  };
}

/**
 * One convnetjs step: the trainer takes one sample at a time and updates after the batch's last one, so the mean
 * of the per-sample losses is the batch loss at the weights before the update, as the other libraries report.
 */
function convnetjsTrainer(samples: ConvnetVol[], labels: Float32Array, train: (v: ConvnetVol, label: number) => number): Subject {
  const losses: number[] = [];
  return {
    losses,
    run: () => {
      let sum = 0;
      for (let i = 0; i < samples.length; i++) sum += train(samples[i], labels[i]);
      losses.push(sum / samples.length);
    },
    verify: () => LOSSES_CHECKED_BY_RUNNER,
  };
}
