// Setup file for every test file: no tensor may outlive the file that created it.
import { afterAll, beforeAll, expect } from 'vitest';
import { tensorCount } from '../../src/tensor.js';

let before = 0;
beforeAll(() => { before = tensorCount(); });
afterAll(() => {
  expect(tensorCount(), 'tensors left undisposed by this test file').toBe(before);
});
