# Optuna's own samplers on bench/tune.ts's and bench/regret.ts's problems, for comparison with
# simdgrad's (same functions, bounds and trial budgets). Not run by CI (CI never runs Python).
# Debian's python3-optuna (3.1) with /usr/bin/python3:
#   /usr/bin/python3 bench/optuna-tpe-regret.py [seeds=20] [--multivariate] [branin] [h6]
#       TPESampler: median simple regret after 100 trials over N seeds, printed.
#   /usr/bin/python3 bench/optuna-tpe-regret.py --write [seeds=30]
#       TPESampler, CmaEsSampler and RandomSampler (defaults, seed = 0..N-1) on Branin, Hartmann-6,
#       Rosenbrock-4 and Ackley-5: the simple regret of every seed after 30, 60 and 100 trials,
#       written to bench/data/optuna-regret.json, which bench/regret.ts reads (deterministic: the
#       samplers are seeded).
#   /usr/bin/python3 bench/optuna-tpe-regret.py --write-cmaes [seeds=1000]
#       CmaEsSampler alone over more seeds (about 6 minutes for 1000), to bench/data/
#       optuna-cmaes-regret.json, which bench/cmaes-spread.ts reads: how far apart two medians of
#       30 seeds fall by chance.
import json
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


def rosenbrock(x):
    return sum(100 * (x[i + 1] - x[i] ** 2) ** 2 + (1 - x[i]) ** 2 for i in range(len(x) - 1))


def ackley(x):
    n = len(x)
    return (-20 * math.exp(-0.2 * math.sqrt(sum(v * v for v in x) / n))
            - math.exp(sum(math.cos(2 * math.pi * v) for v in x) / n) + 20 + math.e)


def box(f, n, lo, hi):
    return lambda t: f([t.suggest_float(f'x{i}', lo, hi) for i in range(n)])


# name: (objective, optimum); the same domains as bench/regret.ts (Ackley's is asymmetric, so that
# the centre CMA-ES starts from is not the optimum).
PROBLEMS = {
    'branin': (lambda t: branin(t.suggest_float('x0', -5, 10), t.suggest_float('x1', 0, 15)), 0.397887357729738),
    'h6': (box(hartmann6, 6, 0, 1), -3.32236801141551),
    'rosenbrock4': (box(rosenbrock, 4, -5, 10), 0.0),
    'ackley5': (box(ackley, 5, -15, 30), 0.0),
}

SAMPLERS = {
    'tpe': lambda seed: optuna.samplers.TPESampler(seed=seed),
    'cmaes': lambda seed: optuna.samplers.CmaEsSampler(seed=seed),
    'random': lambda seed: optuna.samplers.RandomSampler(seed=seed),
}
BUDGETS = [30, 60, 100]


def regrets(objective, optimum, sampler, budgets):
    study = optuna.create_study(sampler=sampler)
    study.optimize(objective, n_trials=max(budgets))
    values = [t.value for t in study.trials]
    return [min(values[:b]) - optimum for b in budgets]


args = [a for a in sys.argv[1:] if not a.startswith('--')]
seeds = int(args[0]) if args and args[0].isdigit() else (30 if '--write' in sys.argv else 20)
if '--write-cmaes' in sys.argv:
    seeds = int(args[0]) if args and args[0].isdigit() else 1000
    out = {'optuna': optuna.__version__, 'seeds': seeds, 'budgets': BUDGETS, 'results': {}}
    for name, (objective, optimum) in PROBLEMS.items():
        rows = [regrets(objective, optimum, SAMPLERS['cmaes'](seed), BUDGETS) for seed in range(seeds)]
        out['results'][name] = {'cmaes': {str(b): [r[i] for r in rows] for i, b in enumerate(BUDGETS)}}
        print(name, [float(np.median([r[i] for r in rows])) for i in range(len(BUDGETS))], flush=True)
    with open('bench/data/optuna-cmaes-regret.json', 'w') as f:
        json.dump(out, f)
    sys.exit(0)
if '--write' in sys.argv:
    out = {'optuna': optuna.__version__, 'seeds': seeds, 'budgets': BUDGETS, 'results': {}}
    for name, (objective, optimum) in PROBLEMS.items():
        out['results'][name] = {}
        for key, make in SAMPLERS.items():
            rows = [regrets(objective, optimum, make(seed), BUDGETS) for seed in range(seeds)]
            out['results'][name][key] = {str(b): [r[i] for r in rows] for i, b in enumerate(BUDGETS)}
            print(name, key, [float(np.median([r[i] for r in rows])) for i in range(len(BUDGETS))], flush=True)
    with open('bench/data/optuna-regret.json', 'w') as f:
        json.dump(out, f, indent=1)
    sys.exit(0)

names = [a for a in args if a in PROBLEMS] or ['branin', 'h6']
multivariate = '--multivariate' in sys.argv
print(f'optuna {optuna.__version__}, TPESampler(multivariate={multivariate}), {seeds} seeds x 100 trials')
for name in names:
    objective, optimum = PROBLEMS[name]
    r = np.sort([regrets(objective, optimum, optuna.samplers.TPESampler(seed=seed, multivariate=multivariate), [100])[0]
                 for seed in range(seeds)])
    print(f'{name}: median {np.median(r):.3g} (quartiles {np.quantile(r, 0.25):.3g} .. {np.quantile(r, 0.75):.3g})', flush=True)
