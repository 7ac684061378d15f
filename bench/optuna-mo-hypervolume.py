# Optuna 3.1's multi-objective samplers on bench/mo.ts's problems, for comparison with simdgrad's:
# for each problem, sampler and seed, the Pareto front after 200 trials and its hypervolume (Optuna's
# own WFG) against the same reference points. Writes JSON that bench/mo.ts reads (CI never runs
# Python); bench/mo.ts recomputes each front's hypervolume with sg.tune.hypervolume and checks it
# against Optuna's. Debian's python3-optuna (3.1) with /usr/bin/python3:
#   /usr/bin/python3 bench/optuna-mo-hypervolume.py [seeds=20] [trials=200] > bench/optuna-mo-hypervolume.json
# Optuna 3.1's MOTPESampler takes 3–8 minutes per 200-trial run on the 2-core machine, so the
# committed file was made in pieces — per problem (--only=zdt1 … dtlz2), per sampler
# (--samplers=NSGAIISampler), per range of seeds (`[seeds] --first-seed=5` runs seeds 5 … 5+seeds−1)
# — and joined with `--merge piece.json …`, which keeps each (problem, sampler, seed) once and
# records the per-sampler seed counts when they differ.
# `--no-fronts` keeps only each run's hypervolume: bench/data/optuna-mo-nsgaii.json, NSGAIISampler
# over 200 seeds for bench/mo.ts's two-sample comparison (about 1.5 s a run), was written with
#   /usr/bin/python3 bench/optuna-mo-hypervolume.py 200 --samplers=NSGAIISampler --no-fronts > bench/data/optuna-mo-nsgaii.json
import json
import math
import sys
import warnings

import numpy as np
import optuna
from optuna._hypervolume import WFG

optuna.logging.set_verbosity(optuna.logging.ERROR)
warnings.simplefilter("ignore")


def zdt(kind):
    def objective(trial):
        x = [trial.suggest_float(f"x{i}", 0, 1) for i in range(30)]
        g = 1 + 9 * sum(x[1:]) / 29
        r = x[0] / g
        if kind == 1:
            h = 1 - math.sqrt(r)
        elif kind == 2:
            h = 1 - r * r
        else:
            h = 1 - math.sqrt(r) - r * math.sin(10 * math.pi * x[0])
        return x[0], g * h
    return objective


def dtlz2(trial):
    x = [trial.suggest_float(f"x{i}", 0, 1) for i in range(12)]
    g = sum((v - 0.5) ** 2 for v in x[2:])
    a, b = x[0] * math.pi / 2, x[1] * math.pi / 2
    return ((1 + g) * math.cos(a) * math.cos(b), (1 + g) * math.cos(a) * math.sin(b), (1 + g) * math.sin(a))


# name: (objective, number of objectives, reference point) — as bench/mo.ts
PROBLEMS = {
    "zdt1": (zdt(1), 2, [1.1, 11.0]),
    "zdt2": (zdt(2), 2, [1.1, 11.0]),
    "zdt3": (zdt(3), 2, [1.1, 11.0]),
    "dtlz2": (dtlz2, 3, [3.5, 3.5, 3.5]),
}
SAMPLERS = {
    "NSGAIISampler": lambda seed: optuna.samplers.NSGAIISampler(seed=seed),
    "MOTPESampler": lambda seed: optuna.samplers.MOTPESampler(seed=seed),
}

def merge(paths):
    """Joins documents written by earlier runs (different problems, samplers or seeds) into one."""
    out = None
    for path in paths:
        doc = json.load(open(path))
        if out is None:
            out = {"optuna": doc["optuna"], "trials": doc["trials"], "seeds": 0, "results": {}}
        if doc["trials"] != out["trials"] or doc["optuna"] != out["optuna"]:
            sys.exit(f"{path}: {doc['trials']} trials with Optuna {doc['optuna']}, expected {out['trials']} with {out['optuna']}")
        for name, problem in doc["results"].items():
            into = out["results"].setdefault(name, {"reference": problem["reference"], "samplers": {}})
            for sname, runs in problem["samplers"].items():
                have = into["samplers"].setdefault(sname, [])
                seen = {r["seed"] for r in have}
                have.extend(r for r in runs if r["seed"] not in seen)
                have.sort(key=lambda r: r["seed"])
    counts = [len(runs) for p in out["results"].values() for runs in p["samplers"].values()]
    out["seeds"] = min(counts)
    if min(counts) != max(counts):
        out["seedsPerSampler"] = {n: {s: len(r) for s, r in p["samplers"].items()} for n, p in out["results"].items()}
    return out


if sys.argv[1:2] == ["--merge"]:
    print(json.dumps(merge(sys.argv[2:]), separators=(",", ":")))
    sys.exit(0)

args = [a for a in sys.argv[1:] if not a.startswith("--")]
seeds = int(args[0]) if len(args) > 0 else 20
trials = int(args[1]) if len(args) > 1 else 200
only = [a[7:] for a in sys.argv[1:] if a.startswith("--only=")]
samplers = [a[11:] for a in sys.argv[1:] if a.startswith("--samplers=")]
first = next((int(a[13:]) for a in sys.argv[1:] if a.startswith("--first-seed=")), 0)
out = {"optuna": optuna.__version__, "trials": trials, "seeds": seeds, "results": {}}
for name, (objective, m, ref) in PROBLEMS.items():
    if only and name not in only:
        continue
    out["results"][name] = {"reference": ref, "samplers": {}}
    for sname, make in SAMPLERS.items():
        if samplers and sname not in samplers:
            continue
        runs = []
        for seed in range(first, first + seeds):
            study = optuna.create_study(directions=["minimize"] * m, sampler=make(seed))
            study.optimize(objective, n_trials=trials)
            front = [list(t.values) for t in study.best_trials]
            inside = np.array([p for p in front if all(v < r for v, r in zip(p, ref))], dtype=float)
            hv = WFG().compute(inside, np.array(ref, dtype=float)) if len(inside) else 0.0
            runs.append({"seed": seed, "hypervolume": hv} if "--no-fronts" in sys.argv else {"seed": seed, "hypervolume": hv, "front": front})
            print(f"{name} {sname} seed {seed}: {hv:.6g}", file=sys.stderr, flush=True)
        out["results"][name]["samplers"][sname] = runs
print(json.dumps(out, separators=(",", ":")))
