"""The power-law tail of a weight matrix's spectrum in NumPy, independent of the C# code: eigenvalues of WᵀW by
numpy.linalg.eigvalsh, then the continuous Clauset-Shalizi-Newman (2009) fit written out here (α = 1 + n/Σ ln(x/xmin)
at every candidate xmin leaving at least MIN_TAIL values, and the xmin of smallest KS distance).

Usage: /usr/bin/python3 tests/python/weight_alpha_reference.py OUT_DIR
Writes pareto.npy and gauss.npy (float64 [300, 200]: Pareto entries of tail index 2 with random signs; Gaussian entries)
and prints JSON {name: {"alpha", "xmin", "ks", "stableRank", "count"}}.
"""
import json
import sys
from pathlib import Path

import numpy as np

MIN_TAIL = 50  # the C# side's min(50, count/2) for 200 eigenvalues


def fit(x):
    x = np.sort(x[x > 0])
    u = np.unique(x)
    best = (np.inf, None, None)
    for xmin in u[:-1]:
        tail = x[x >= xmin]
        n = len(tail)
        if n < MIN_TAIL:
            break
        alpha = 1 + n / np.sum(np.log(tail / xmin))
        model = 1 - (tail / xmin) ** (1 - alpha)
        emp_hi = np.arange(1, n + 1) / n
        emp_lo = np.arange(0, n) / n
        d = max(np.max(np.abs(emp_hi - model)), np.max(np.abs(model - emp_lo)))
        if d < best[0]:
            best = (d, alpha, xmin)
    return best


def main():
    out = Path(sys.argv[1])
    rng = np.random.default_rng(11)
    mats = {
        "pareto": (rng.pareto(2.0, size=(300, 200)) + 1) * rng.choice([-1.0, 1.0], size=(300, 200)),
        "gauss": rng.normal(size=(300, 200)),
    }
    result = {}
    for name, w in mats.items():
        np.save(out / f"{name}.npy", w)
        ev = np.linalg.eigvalsh(w.T @ w)
        ks, alpha, xmin = fit(ev)
        result[name] = {"alpha": alpha, "xmin": xmin, "ks": ks, "stableRank": ev.sum() / ev.max(), "count": len(ev)}
    print(json.dumps(result))


if __name__ == "__main__":
    main()
