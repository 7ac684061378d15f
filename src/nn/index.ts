// sg.nn: modules, parameters, initializers and functional losses.
export { Module } from './module.js';
export { Parameter, Buffer, param, buffer } from './parameter.js';
export * as functional from './functional.js';
export { ParameterBlock } from './parameter-block.js';
export { Linear, type LinearOptions } from './linear.js';
export { Sequential, type TensorModule } from './sequential.js';
export { ReLU, LeakyReLU, GELU, SiLU, Tanh, Sigmoid, Softmax } from './activations.js';
export { Dropout } from './dropout.js';
export { Flatten } from './flatten.js';
export { LayerNorm, type LayerNormOptions } from './layer-norm.js';
export { BatchNorm1d, type BatchNormOptions } from './batch-norm.js';
export { Embedding, type EmbeddingOptions, type Indices } from './embedding.js';
export * as init from './init.js';
export { RNN, LSTM, GRU, type RNNOptions } from './rnn.js';
export { RNNBase, type RNNBaseOptions } from './rnn-base.js';
