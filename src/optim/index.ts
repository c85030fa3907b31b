/**
 * optim: optimizers (SGD, Adam, AdamW, RMSprop, Adagrad) over parameter groups, their pure update functions, and
 * learning-rate schedulers — with PyTorch's formulas, so a model trained here follows one trained there.
 * @module optim
 */
export {
  Optimizer, type Hyperparameters, type HyperparameterValue, type ParamGroup, type ParamGroupInput,
  type OptimizerStateDict, type ZeroGradOptions,
} from './optimizer.js';
export { SGD, sgdUpdate, type SGDHyperparameters, type SGDOptions, type SGDState } from './sgd.js';
export { Adam, AdamW, adamUpdate, adamwUpdate, type AdamHyperparameters, type AdamOptions, type AdamState } from './adam.js';
export { RMSprop, rmspropUpdate, type RMSpropHyperparameters, type RMSpropOptions, type RMSpropState } from './rmsprop.js';
export { Adagrad, adagradUpdate, type AdagradHyperparameters, type AdagradOptions, type AdagradState } from './adagrad.js';
export {
  LRScheduler, StepLR, MultiStepLR, ExponentialLR, CosineAnnealingLR, LinearLR,
  type StepLROptions, type MultiStepLROptions, type CosineAnnealingLROptions, type LinearLROptions,
  type SchedulerStateDict, type JsonValue,
} from './lr-scheduler.js';
export { ReduceLROnPlateau, type ReduceLROnPlateauOptions } from './reduce-lr-on-plateau.js';
