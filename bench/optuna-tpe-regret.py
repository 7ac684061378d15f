# Optuna's own TPESampler on bench/tune.ts's problems, for comparison with simdgrad's: median
# simple regret after 100 trials over N seeds (same functions, bounds and trial budget).
# Not run by CI (CI never runs Python). Debian's python3-optuna (3.1) with /usr/bin/python3:
#   /usr/bin/python3 bench/optuna-tpe-regret.py [seeds=20] [--multivariate] [branin] [h6]
import math
import sys

import numpy as np
import optuna

optuna.logging.set_verbosity(optuna.logging.ERROR)


def branin(x, y):
    b, c, t = 5.1 / (4 * math.pi**2), 5 / math.pi, 1 / (8 * math.pi)
    return (y - b * x**2 + c * x - 6) ** 2 + 10 * (1 - t) * math.cos(x) + 10


A = [[10, 3, 17, 3.5, 1.7, 8], [0.05, 10, 17, 0.1, 8, 14], [3, 3.5, 1.7, 10, 17, 8], [17, 8, 0.05, 10, 0.1, 14]]
P = [[1312, 1696, 5569, 124, 8283, 5886], [2329, 4135, 8307, 3736, 1004, 9991],
     [2348, 1451, 3522, 2883, 3047, 6650], [4047, 8828, 8732, 5743, 1091, 381]]
ALPHA = [1, 1.2, 3, 3.2]


def hartmann6(x):
    return -sum(ALPHA[i] * math.exp(-sum(A[i][j] * (x[j] - P[i][j] * 1e-4) ** 2 for j in range(6))) for i in range(4))


PROBLEMS = {
    'branin': (lambda t: branin(t.suggest_float('x0', -5, 10), t.suggest_float('x1', 0, 15)), 0.397887357729738),
    'h6': (lambda t: hartmann6([t.suggest_float(f'x{i}', 0, 1) for i in range(6)]), -3.32236801141551),
}

args = [a for a in sys.argv[1:] if not a.startswith('--')]
seeds = int(args[0]) if args and args[0].isdigit() else 20
names = [a for a in args if a in PROBLEMS] or list(PROBLEMS)
multivariate = '--multivariate' in sys.argv
print(f'optuna {optuna.__version__}, TPESampler(multivariate={multivariate}), {seeds} seeds x 100 trials')
for name in names:
    objective, optimum = PROBLEMS[name]
    regrets = []
    for seed in range(seeds):
        study = optuna.create_study(sampler=optuna.samplers.TPESampler(seed=seed, multivariate=multivariate))
        study.optimize(objective, n_trials=100)
        regrets.append(study.best_value - optimum)
    r = np.sort(regrets)
    print(f'{name}: median {np.median(r):.3g} (quartiles {np.quantile(r, 0.25):.3g} .. {np.quantile(r, 0.75):.3g})', flush=True)
