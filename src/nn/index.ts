// sg.nn: modules, parameters, initializers and functional losses.
export { Module } from './module.js';
export { Parameter, Buffer, param, buffer } from './parameter.js';
export * as functional from './functional.js';
