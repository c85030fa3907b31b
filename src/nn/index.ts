/**
 * nn: modules, layers, initialisation, losses and the model summary.
 * @module
 */
export { Module, Parameter, Buffer, type LoadStateDictOptions, type LoadStateDictResult } from './module.js';
export * as init from './init.js';
export { Dense, Linear, linear, type DenseOptions } from './layers/dense.js';
export { Sequential } from './layers/sequential.js';
export { ModuleList } from './layers/module-list.js';
export { ReLU, LeakyReLU, Sigmoid, Tanh, Softmax, LogSoftmax, Flatten, Identity } from './layers/activations.js';
export { Conv2d, type Conv2dLayerOptions } from './layers/conv2d.js';
export { MaxPool2d, AvgPool2d, type MaxPool2dLayerOptions, type AvgPool2dLayerOptions } from './layers/pool.js';
export { BatchNorm1d, BatchNorm2d, BatchNormBase, type BatchNormLayerOptions } from './layers/batchnorm.js';
export { Dropout, type DropoutLayerOptions } from './layers/dropout.js';
export * from './losses.js';
export { summary, ModelSummary, type SummaryRow, type SummaryOptions } from './summary.js';
export * as functional from './functional.js';
