"""Spearman's rho between S and the other layer measures of a seed survey, per seed and then over seeds, with SciPy,
independent of the C# code (scipy.stats.spearmanr; Student-t interval of the mean over seeds, scipy.stats.t).

Usage: /usr/bin/python3 tests/python/measure_correlations_reference.py SURVEY_FOLDER
Reads every survey-seedK.json there and prints JSON: for each measure, rho per seed (pairs with a non-finite value
dropped) and the mean over seeds with its 95 % t interval.
"""
import json
import math
import sys
from pathlib import Path

import numpy as np
from scipy import stats


def number(v):
    """A saved field as a float: an estimate object's value, a plain number, NaN (written "NaN") or a missing one."""
    if isinstance(v, dict):
        v = v.get("value")
    return math.nan if v is None else float(v)


COLUMNS = {
    "d_B": "boxDimension",
    "nu_nodes": "nodeCorrelationDimension",
    "twonn_nodes": "nodeTwoNn",
    "twonn_samples": "sampleTwoNn",
    "weight_alpha": "weightAlpha",
}


def main(folder):
    files = sorted(Path(folder).glob("survey-seed*.json"), key=lambda p: int(p.stem[len("survey-seed"):]))
    out = {}
    for name, key in COLUMNS.items():
        per_seed = {}
        for f in files:
            seed = int(f.stem[len("survey-seed"):])
            layers = [m for run in json.loads(f.read_text())["runs"] for m in run["trained"]]
            s = np.array([number(m["s"]) for m in layers])
            x = np.array([number(m.get(key)) for m in layers])
            keep = np.isfinite(s) & np.isfinite(x)
            rho = stats.spearmanr(s[keep], x[keep]).statistic
            per_seed[seed] = {"rho": float(rho), "layers": int(keep.sum())}
        rhos = np.array([v["rho"] for v in per_seed.values()])
        mean = float(rhos.mean())
        sem = float(rhos.std(ddof=1) / math.sqrt(len(rhos)))
        lo, hi = stats.t.interval(0.95, len(rhos) - 1, loc=mean, scale=sem)
        out[name] = {"perSeed": per_seed, "mean": mean, "lower": float(lo), "upper": float(hi)}
    print(json.dumps(out, indent=1))


if __name__ == "__main__":
    main(sys.argv[1])
