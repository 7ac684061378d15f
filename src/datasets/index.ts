// simdgrad/datasets: the built-in data sets, a separate entry point so that the core bundle
// carries none of their data. Plain typed arrays, no tensors: nothing here needs init().
// Credits: every data set returns its `credit` line; CREDITS.md in the package has them all.
export { digits, DIGITS_CREDIT, type Digits } from './digits.js';
export { iris, IRIS_CREDIT, type Iris } from './iris.js';
export { words, WORDS_CREDIT, type Words } from './words.js';
