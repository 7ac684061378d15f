# The paired comparisons behind TPE's defaults (bench/NOTES.md): reads the per-seed regrets that
# `node --import tsx bench/tune-defaults.ts --json=FILE` wrote and prints, per function and
# checkpoint, wins / losses / ties of one configuration against another over the same seeds and
# scipy's two-sided Wilcoxon signed-rank p-value of the differences. Debian's python3-scipy:
#   /usr/bin/python3 bench/tune-defaults-stats.py FILE
import json
import sys

import numpy as np
import scipy.stats as ss

cells = json.load(open(sys.argv[1]))["cells"]
problems = list(dict.fromkeys(k.split("|")[0] for k in cells))
PAIRS = [("univariate + liar", "univariate", 2), ("multivariate + liar", "multivariate", 2),
         ("univariate", "multivariate", 1), ("univariate + liar", "multivariate + liar", 2)]
for a, b, conc in PAIRS:
    print(f"{a} vs {b}, concurrency {conc}:")
    for p in problems:
        A, B = np.array(cells[f"{p}|{a}|{conc}"]), np.array(cells[f"{p}|{b}|{conc}"])
        out = []
        for k, n in enumerate([30, 60, 100]):
            d = A[:, k] - B[:, k]
            pv = ss.wilcoxon(d, zero_method="zsplit").pvalue if (d != 0).any() else 1.0
            out.append(f"{n}: {(d < 0).sum()}/{(d > 0).sum()}/{(d == 0).sum()}, p = {pv:.2g}")
        print(f"  {p}: " + "; ".join(out))
