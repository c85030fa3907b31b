import { describe, expect, it } from 'vitest';
import { Generator, Tensor, gradcheck, nn, tensor, zeros } from '../../src/index.js';
import { Conv2d } from '../../src/nn/layers/conv2d.js';
import { AvgPool2d, MaxPool2d } from '../../src/nn/layers/pool.js';
import { conv2d } from '../../src/ops/conv.js';
import { avgPool2d, maxPool2d } from '../../src/ops/pool.js';
import { randn64, thrown } from '../helpers.js';

describe('Conv2d', () => {
  it('parameter shapes, names and counts', () => {
    const conv = new Conv2d(7, 8, 5, { generator: new Generator(0) });
    expect(conv.weight.shape).toEqual([8, 7, 5, 5]);
    expect(conv.bias!.shape).toEqual([8]);
    expect(conv.namedParameters().map(([n]) => n)).toEqual(['weight', 'bias']);
    // 8·7·5·5 weights + 8 biases
    expect(conv.numParameters()).toBe(1408);
    const rect = new Conv2d(3, 4, [2, 5], { bias: false, generator: new Generator(10) });
    expect(rect.weight.shape).toEqual([4, 3, 2, 5]);
    expect(rect.bias).toBeNull();
    expect(rect.numParameters()).toBe(4 * 3 * 2 * 5);
  });

  it('MACs = N·outC·outH·outW·inC·kh·kw: 201,600 for Conv2d(7, 8, 5) on [1, 7, 16, 16]', () => {
    const conv = new Conv2d(7, 8, 5, { generator: new Generator(0) });
    const x = zeros([1, 7, 16, 16]);
    const y = conv.forward(x);
    expect(y.shape).toEqual([1, 8, 12, 12]);
    // 1·8·12·12 outputs, each 7·5·5 = 175 products
    expect(conv.macs(x, y)).toBe(1 * 8 * 12 * 12 * 7 * 5 * 5);
    expect(conv.macs(x, y)).toBe(201600);
    const strided = new Conv2d(2, 3, [3, 2], { stride: 2, padding: 1, generator: new Generator(11) });
    const x2 = zeros([4, 2, 9, 8]);
    // outH = floor((9 + 2 − 3) / 2) + 1 = 5, outW = floor((8 + 2 − 2) / 2) + 1 = 5
    expect(strided.macs(x2, strided.forward(x2))).toBe(4 * 3 * 5 * 5 * 2 * 3 * 2);
  });

  it("PyTorch's default init: weight and bias in U(−1/√fanIn, 1/√fanIn), fanIn = in·kh·kw", () => {
    const conv = new Conv2d(6, 16, 5, { generator: new Generator(1) });
    const bound = 1 / Math.sqrt(6 * 5 * 5);
    const w = Array.from(conv.weight.data);
    const b = Array.from(conv.bias!.data);
    expect(Math.max(...w.map(Math.abs))).toBeLessThanOrEqual(bound);
    expect(Math.max(...b.map(Math.abs))).toBeLessThanOrEqual(bound);
    // 2400 uniform draws reach close to both ends, and their variance is bound²/3 (the sample variance's relative
    // standard error is about √(0.8 / 2400) ≈ 2%, so 10% is 5σ)
    expect(Math.max(...w)).toBeGreaterThan(0.98 * bound);
    expect(Math.min(...w)).toBeLessThan(-0.98 * bound);
    const mean = w.reduce((s, v) => s + v, 0) / w.length;
    const variance = w.reduce((s, v) => s + (v - mean) ** 2, 0) / w.length;
    expect(variance / (bound * bound / 3)).toBeGreaterThan(0.9);
    expect(variance / (bound * bound / 3)).toBeLessThan(1.1);
    expect(Math.abs(mean)).toBeLessThan(0.05 * bound);
  });

  it('a seeded generator makes the init reproducible; different seeds differ', () => {
    const a = new Conv2d(3, 4, 3, { generator: new Generator(5) });
    const b = new Conv2d(3, 4, 3, { generator: new Generator(5) });
    const c = new Conv2d(3, 4, 3, { generator: new Generator(6) });
    expect(Array.from(a.weight.data)).toEqual(Array.from(b.weight.data));
    expect(Array.from(a.bias!.data)).toEqual(Array.from(b.bias!.data));
    expect(Array.from(a.weight.data)).not.toEqual(Array.from(c.weight.data));
  });

  it('forward is conv2d with its parameters and options; dtype float64', () => {
    const g = new Generator(2);
    const conv = new Conv2d(2, 3, [3, 2], { stride: [2, 1], padding: 1, dilation: [1, 2], dtype: 'float64', generator: g });
    expect(conv.weight.dtype).toBe('float64');
    const x = randn64([2, 2, 7, 6], g);
    const expected = conv2d(x, conv.weight.detach(), conv.bias!.detach(), { stride: [2, 1], padding: 1, dilation: [1, 2] });
    expect(Array.from(conv.forward(x).data)).toEqual(Array.from(expected.data));
    const same = new Conv2d(2, 3, 4, { padding: 'same', bias: false, dtype: 'float64', generator: g });
    expect(same.forward(x).shape).toEqual([2, 3, 7, 6]);
  });

  it('gradcheck (float64) through the layer for the input, and with its configuration for the parameters', () => {
    const g = new Generator(3);
    const conv = new Conv2d(2, 2, [2, 3], { stride: 2, padding: 1, dilation: 2, dtype: 'float64', generator: g });
    const x = randn64([1, 2, 6, 5], g, true);
    for (const mode of ['train', 'eval'] as const) {
      conv.train(mode === 'train');
      expect(gradcheck((x) => conv.forward(x), [x]).ok).toBe(true);
    }
    const options = { stride: conv.stride, padding: conv.padding, dilation: conv.dilation };
    expect(gradcheck((x, w, b) => conv2d(x, w, b, options), [x, conv.weight, conv.bias!]).ok).toBe(true);
    // and forward/backward into the parameters themselves agree with the functional form's
    conv.zeroGrad();
    const v = randn64([1, 2, 3, 2], g);
    conv.forward(x).backward(v);
    const w = conv.weight.detach().clone().requiresGrad_();
    const b = conv.bias!.detach().clone().requiresGrad_();
    conv2d(x.detach(), w, b, options).backward(v);
    expect(Array.from(conv.weight.grad!.data)).toEqual(Array.from(w.grad!.data));
    expect(Array.from(conv.bias!.grad!.data)).toEqual(Array.from(b.grad!.data));
  });

  it('describe()', () => {
    const generator = new Generator(12);
    expect(new Conv2d(1, 8, 5, { generator }).describe()).toBe('Conv2d(1 → 8, kernel 5×5)');
    expect(new Conv2d(3, 4, [3, 2], { stride: 2, padding: [1, 0], dilation: 2, bias: false, generator }).describe())
      .toBe('Conv2d(3 → 4, kernel 3×2, stride 2, padding 1×0, dilation 2, bias: false)');
    expect(new Conv2d(3, 4, 3, { padding: 'same', generator }).describe()).toBe("Conv2d(3 → 4, kernel 3×3, padding 'same')");
  });

  it('validates its arguments, naming Conv2d', () => {
    expect(() => new Conv2d(0, 8, 5)).toThrow(/Conv2d: inChannels must be a positive integer, got 0/);
    expect(() => new Conv2d(1, 2.5, 5)).toThrow(/Conv2d: outChannels/);
    expect(() => new Conv2d(1, 8, 0)).toThrow(/Conv2d: kernelSize/);
    expect(() => new Conv2d(1, 8, [3, 3, 3] as unknown as number)).toThrow(RangeError);
    expect(() => new Conv2d(1, 8, 3, { stride: 0 })).toThrow(/Conv2d: stride/);
    expect(() => new Conv2d(1, 8, 3, { stride: 2, padding: 'same' })).toThrow(/Conv2d: padding 'same' needs stride 1/);
    expect(() => new Conv2d(1, 8, 3, { dilation: -1 })).toThrow(/Conv2d: dilation/);
    expect(() => new Conv2d(1, 8, 3, { bias: 'yes' as unknown as boolean })).toThrow(TypeError);
    expect(() => new Conv2d(1, 8, 3, { dtype: 'int8' as 'float32' })).toThrow(TypeError);
    expect(() => new Conv2d(2, 8, 3, { generator: new Generator(13) }).forward(zeros([1, 3, 8, 8])))
      .toThrow(/conv2d: input \[1,3,8,8\] has 3 channels but weight \[8,2,3,3\]/);
  });

  it('NaN, Infinity and strings in the sizes are reported as such', () => {
    expect(() => new Conv2d(1, 8, [3, NaN])).toThrow(/^Conv2d: kernelSize must be .*, got \[3, NaN\]$/);
    expect(() => new Conv2d(1, 8, 3, { stride: Infinity })).toThrow(/^Conv2d: stride must be .*, got Infinity$/);
    expect(() => new Conv2d('1' as unknown as number, 8, 3)).toThrow(/^Conv2d: inChannels must be a positive integer, got "1"$/);
  });

  it('an unknown option is a TypeError naming Conv2d and the key, listing the allowed ones', () => {
    const e = thrown(() => new Conv2d(1, 2, 3, { padding_mode: 'zeros' } as never));
    expect(e).toBeInstanceOf(TypeError);
    expect(e.message).toBe("Conv2d: unknown option 'padding_mode' (expected stride, padding, dilation, bias, dtype, generator); did you mean 'paddingMode'?");
    expect(() => new Conv2d(1, 2, 3, { init: 'x' } as never)).toThrow(/^Conv2d: unknown option 'init'/);
  });

  it('groups, paddingMode and device are refused as not supported, naming the option and the value', () => {
    for (const [key, value, shown] of [['groups', 2, '2'], ['paddingMode', 'reflect', '"reflect"'], ['device', 'cuda', '"cuda"']] as const) {
      const e = thrown(() => new Conv2d(2, 2, 3, { [key]: value } as never));
      expect(e, key).toBeInstanceOf(RangeError);
      expect(e.message.startsWith(`Conv2d: option '${key}' is not supported by tapegrad, got ${shown}`)).toBe(true);
    }
  });

  it("PyTorch's defaults of those options are accepted: the layer is the same as without them", () => {
    const plain = new Conv2d(2, 3, 3, { generator: new Generator(14) });
    const ported = new Conv2d(2, 3, 3, { groups: 1, paddingMode: 'zeros', device: 'cpu', generator: new Generator(14) } as never);
    expect(Array.from(ported.weight.data)).toEqual(Array.from(plain.weight.data));
    expect(Array.from(ported.bias!.data)).toEqual(Array.from(plain.bias!.data));
  });

  it('a bad option throws before any draw: the generator is left as it was', () => {
    for (const options of [{ bias: 'no' }, { dtype: 'float16' }, { groups: 2 }, { stride: 0 }, { typo: 1 }]) {
      const g = new Generator(15);
      const before = g.getState();
      expect(() => new Conv2d(2, 3, 3, { ...options, generator: g } as never), JSON.stringify(options)).toThrow();
      expect(g.getState()).toEqual(before);
    }
    expect(() => new Conv2d(2, 3, 3, { generator: {} as Generator })).toThrow(/^Conv2d: generator must be a Generator/);
    expect(() => new Conv2d(2, 3, 3, { bias: 'no' as unknown as boolean })).toThrow(/^Conv2d: bias must be true or false, got "no"$/);
  });

  it('composes in a Sequential (the MNIST CNN shape)', () => {
    const g = new Generator(4);
    const model = new nn.Sequential(
      new Conv2d(1, 8, 5, { generator: g }), new nn.ReLU(), new MaxPool2d(2),
      new Conv2d(8, 16, 5, { generator: g }), new nn.ReLU(), new MaxPool2d(2), new nn.Flatten(),
    );
    // 28 → 24 → 12 → 8 → 4
    expect(model.forward(zeros([2, 1, 28, 28])).shape).toEqual([2, 16 * 4 * 4]);
    expect(model.numParameters()).toBe(8 * 25 + 8 + 16 * 8 * 25 + 16);
  });
});

describe('MaxPool2d and AvgPool2d', () => {
  it('stride defaults to kernelSize; no parameters; describe()', () => {
    const mp = new MaxPool2d(2);
    expect(mp.stride).toEqual([2, 2]);
    expect(mp.padding).toEqual([0, 0]);
    expect(mp.numParameters()).toBe(0);
    expect(mp.describe()).toBe('MaxPool2d(kernel 2, stride 2)');
    expect(new MaxPool2d([3, 2], { stride: 1, padding: 1 }).describe()).toBe('MaxPool2d(kernel 3×2, stride 1, padding 1)');
    const ap = new AvgPool2d(3, { stride: 2, padding: 1, countIncludePad: false });
    expect(ap.describe()).toBe('AvgPool2d(kernel 3, stride 2, padding 1, countIncludePad: false)');
    expect(new AvgPool2d(2).countIncludePad).toBe(true);
    expect(mp.macs(zeros([1, 1, 4, 4]), zeros([1, 1, 2, 2]))).toBe(0);
  });

  it('forward is the functional op with the same options', () => {
    const x = tensor([[[[1, 5, 2, 0, 3], [3, 4, 8, 1, 1], [0, -1, 6, 7, 2]]]]);
    // 3×3 windows, stride 2, padding 1 over 3×5: rows −1..1 and 1..3 (clipped), cols −1..1, 1..3, 3..5
    expect(new MaxPool2d(3, { stride: 2, padding: 1 }).forward(x).toArray()).toEqual([[[[5, 8, 3], [4, 8, 7]]]]);
    const ap = new AvgPool2d(3, { stride: 2, padding: 1, countIncludePad: false });
    // window (0,0) = x[0..1][0..1] = 1+5+3+4 over 4 taps
    expect(ap.forward(x).data[0]).toBeCloseTo(13 / 4, 6);
    expect(Array.from(ap.forward(x).data)).toEqual(Array.from(avgPool2d(x, { kernelSize: 3, stride: 2, padding: 1, countIncludePad: false }).data));
  });

  it('gradcheck (float64) through the layers, in train and eval mode', () => {
    const g = new Generator(6);
    // distinct values (a shuffled ramp) keep the max clear of ties
    const ramp = Array.from({ length: 2 * 5 * 3 }, (_, i) => 0.3 * i + 0.05 * g.random());
    for (let i = ramp.length - 1; i > 0; i--) {
      const j = g.randint(0, i + 1);
      [ramp[i], ramp[j]] = [ramp[j], ramp[i]];
    }
    const x = new Tensor(Float64Array.from(ramp), [1, 2, 5, 3], { requiresGrad: true });
    for (const layer of [new MaxPool2d(3, { stride: [2, 1], padding: 1 }), new AvgPool2d([3, 2], { stride: 1, padding: 1 }),
      new AvgPool2d(3, { stride: 2, padding: 1, countIncludePad: false })]) {
      for (const training of [true, false]) {
        layer.train(training);
        expect(gradcheck((x) => layer.forward(x), [x]).ok).toBe(true);
      }
    }
  });

  it('validates its arguments, naming the layer', () => {
    expect(() => new MaxPool2d(0)).toThrow(/MaxPool2d: kernelSize must be/);
    expect(() => new MaxPool2d(2, { stride: 0 })).toThrow(/MaxPool2d: stride must be/);
    expect(() => new MaxPool2d(2, { padding: 2 })).toThrow(/MaxPool2d: padding 2 must be at most half of kernelSize 2/);
    expect(() => new AvgPool2d(3, { padding: -1 })).toThrow(/AvgPool2d: padding must be/);
    expect(() => new AvgPool2d(3, { countIncludePad: 'no' as unknown as boolean })).toThrow(TypeError);
    expect(() => new MaxPool2d(5).forward(zeros([1, 1, 4, 4]))).toThrow(/maxPool2d: kernel 5×5 is larger/);
    expect(() => maxPool2d(zeros([1, 1, 4, 4]), { kernelSize: 2 })).not.toThrow();
  });

  it('an unknown option is a TypeError naming the layer and the key (kernelSize is the first argument, not an option)', () => {
    const e = thrown(() => new MaxPool2d(2, { kernelSize: 3 } as never));
    expect(e).toBeInstanceOf(TypeError);
    expect(e.message).toBe("MaxPool2d: unknown option 'kernelSize' (expected stride, padding)");
    expect(() => new AvgPool2d(2, { count_include_pad: false } as never)).toThrow(/^AvgPool2d: unknown option 'count_include_pad' .*did you mean 'countIncludePad'\?$/);
    expect(() => new MaxPool2d(2, 2 as never)).toThrow(/^MaxPool2d: options must be an object, got 2$/);
  });

  it("ceilMode, dilation, returnIndices and divisorOverride are refused as not supported; PyTorch's defaults are accepted", () => {
    for (const [make, key] of [
      [() => new MaxPool2d(2, { ceilMode: true } as never), 'ceilMode'], [() => new MaxPool2d(2, { dilation: 2 } as never), 'dilation'],
      [() => new MaxPool2d(2, { returnIndices: true } as never), 'returnIndices'],
      [() => new AvgPool2d(2, { ceilMode: true } as never), 'ceilMode'], [() => new AvgPool2d(2, { divisorOverride: 1 } as never), 'divisorOverride'],
    ] as const) {
      const e = thrown(make);
      expect(e, key).toBeInstanceOf(RangeError);
      expect(e.message).toMatch(new RegExp(`^(Max|Avg)Pool2d: option '${key}' is not supported by tapegrad, got (true|2|1)`));
    }
    // 2×2 windows of [[1, 5], [3, 4]]: max 5, mean 13/4
    const x = tensor([[[[1, 5], [3, 4]]]]);
    expect(new MaxPool2d(2, { ceilMode: false, dilation: 1, returnIndices: false } as never).forward(x).item()).toBe(5);
    expect(new AvgPool2d(2, { ceilMode: false, divisorOverride: null } as never).forward(x).item()).toBe(13 / 4);
  });
});
