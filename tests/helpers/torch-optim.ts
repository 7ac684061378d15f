// Shared by the optimizer tests: tests/fixtures/torch-optim.json (scripts/fixtures/torch_optim.py)
// — the 4-8-3 tanh MLP's data, initial parameters and PyTorch trajectories — and how to replay
// them: parameters, one loss + backward, an optimizer built as a case says, the tolerance.
import { readFileSync } from 'node:fs';
import * as sg from '../../src/index.js';
import * as optim from '../../src/optim/index.js';

interface T { shape: number[]; data: number[] }
export interface Case {
  name: string; optimizer: 'SGD' | 'Adam' | 'AdamW' | 'RMSprop' | 'Adagrad'; options: Record<string, unknown>;
  groups?: Array<{ params: string[] } & Record<string, unknown>>; clip?: number;
  checkpoints: Array<{ step: number; loss: number; params: Record<string, number[]>; torchF32Drift: number }>;
}
export const FIX = JSON.parse(readFileSync(new URL('../fixtures/torch-optim.json', import.meta.url), 'utf8')) as {
  x: T; y: number[]; init: Record<string, T>; cases: Case[];
  freezeInit: Record<string, T>; freezeSchedule: Record<string, number[]>; freezeCases: Case[];
};
/** Initial values of every parameter any case uses (the MLP's and the freezing cases' unused u). */
export const INIT: Record<string, T> = { ...FIX.init, ...FIX.freezeInit };
// float32 vs the float64 trajectory: rel. 1e-5 with an absolute floor of 2e-6 (the largest floor
// any case needs is 1.1e-6, at step 100). Where PyTorch's own float32 run is > 1e-5 away from its
// float64 one (only RMSprop with default lr at step 100: 1.4e-4, it oscillates near the minimum),
// the trajectory itself amplifies rounding and the floor becomes 10× that drift.
export const tol = (drift: number) => ({ rtol: 1e-5, atol: drift > 1e-5 ? 10 * drift : 2e-6 });

export type Params = Record<string, sg.Tensor>;
/** Fresh parameters `names` at their initial values, requiring grad. */
export const makeParams = (names: readonly string[]): Params =>
  Object.fromEntries(names.map((k) => [k, sg.tensor(INIT[k]!.data, INIT[k]!.shape, { requiresGrad: true })]));
/** Mean cross-entropy of the MLP on (x, y), backward; returns the loss. */
export function lossStep(p: Params, x: sg.Tensor, y: Int32Array): number {
  return sg.scope(() => {
    const h = sg.linear(x, p.w1!, p.b1!).tanh();
    const loss = sg.nn.functional.crossEntropy(sg.linear(h, p.w2!, p.b2!), y);
    loss.backward();
    return loss.item();
  });
}
/** The case's optimizer over p (its groups, or `names` in order). */
export function build(c: Case, p: Params, names: readonly string[]): optim.Optimizer {
  const C = optim[c.optimizer] as unknown as new (params: unknown, opts: unknown) => optim.Optimizer;
  const params = c.groups ? c.groups.map((g) => ({ ...g, params: g.params.map((k) => p[k]!) })) : names.map((k) => p[k]!);
  return new C(params, c.options);
}
