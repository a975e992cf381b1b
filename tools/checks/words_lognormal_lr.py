#!/usr/bin/python3
"""Independent check of the power-law vs log-normal likelihood ratio on words.txt.

Written for this project with SciPy only (no powerlaw package, no project code). It fits, on the tail
x >= xmin of the discrete data, (1) the discrete power law p(x) = x^-a / zeta(a, xmin) and (2) the
discrete log-normal p(x) = [Q(ln(x-1/2)) - Q(ln(x+1/2))] / Q(ln(xmin-1/2)) with Q the normal survival
function of (ln x - mu)/sigma, by maximum likelihood, and prints Vuong's statistics: the raw log-likelihood
ratio R = sum(l_pl - l_ln), the normalised R/(s sqrt n) and its two-sided p (Clauset, Shalizi & Newman 2009,
section 5.1). It reports the ratio at the best interior optimum from several starts and along the ridge
mu -> -inf, where the log-normal tends to a power law.

Usage: /usr/bin/python3 tools/checks/words_lognormal_lr.py [DATA] [--json] [--xmin X] [--at MU SIGMA]
  DATA     one value per line (default tests/fixtures/powerlaw/words.txt)
  --xmin   fix xmin instead of scanning it by the KS distance (faster)
  --at     also evaluate the ratio at this (mu, sigma), e.g. another program's fit, and print it as "at"
  --only-at  skip the fits and the ridge: just the power law and the ratio at --at (seconds, for tests)
"""
import json
import sys

import numpy as np
from scipy import optimize, special, stats

args = sys.argv[1:]
def option(name, count):
    if name not in args:
        return None
    i = args.index(name)
    vals = [float(v) for v in args[i + 1:i + 1 + count]]
    del args[i:i + 1 + count]
    return vals
fixed_xmin = option("--xmin", 1)
only_at = "--only-at" in args
if only_at:
    args.remove("--only-at")
at = option("--at", 2)
path = next((a for a in args if not a.startswith("--")), "tests/fixtures/powerlaw/words.txt")
x = np.loadtxt(path)
x = x[x > 0]

# Discrete power law: choose xmin by the KS distance, alpha by maximum likelihood (CSN 2009, sections 3.1, 3.3).
def pl_fit(xmin):
    t = x[x >= xmin]
    nll = lambda a: a * np.log(t).sum() + len(t) * np.log(special.zeta(a, xmin))
    a = optimize.minimize_scalar(nll, bounds=(1.01, 6), method="bounded", options={"xatol": 1e-10}).x
    vals = np.arange(xmin, t.max() + 1)
    pmf = vals ** -a / special.zeta(a, xmin)
    cdf_model = np.cumsum(pmf)
    cdf_emp = np.searchsorted(np.sort(t), vals, side="right") / len(t)
    return a, np.abs(cdf_emp - cdf_model).max(), t

candidates = [fixed_xmin[0]] if fixed_xmin else [m for m in np.unique(x)[:40] if (x >= m).sum() >= 50]
best = min((pl_fit(m) + (m,) for m in candidates), key=lambda r: r[1])
alpha, ks, tail, xmin = best
n = len(tail)
l_pl = -alpha * np.log(tail) - np.log(special.zeta(alpha, xmin))

def ln_point(mu, sigma):
    lo = stats.norm.logsf((np.log(tail - 0.5) - mu) / sigma)
    hi = stats.norm.logsf((np.log(tail + 0.5) - mu) / sigma)
    norm = stats.norm.logsf((np.log(xmin - 0.5) - mu) / sigma)
    return lo + np.log(-np.expm1(hi - lo)) - norm

def ln_nll(p):
    v = -ln_point(p[0], np.exp(p[1])).sum()
    return v if np.isfinite(v) else 1e300

def vuong(l_alt):
    d = l_pl - l_alt
    r = d.sum()
    s = d.std()
    z = r / (s * np.sqrt(n))
    return r, z, special.erfc(abs(z) / np.sqrt(2))

if only_at:
    Ra, za, pa = vuong(ln_point(at[0], at[1]))
    print(json.dumps({"xmin": float(xmin), "alpha": float(alpha), "tail": int(n), "powerLawLogLikelihood": float(l_pl.sum()),
                      "at": {"mu": at[0], "sigma": at[1], "logLikelihood": float(ln_point(at[0], at[1]).sum()),
                             "R": float(Ra), "normalisedR": float(za), "p": float(pa)}}))
    sys.exit(0)

lt = np.log(tail)
starts = [(lt.mean(), np.log(lt.std())), (0.0, 0.0), (1.0, np.log(2.0)), (-5.0, np.log(3.0)), (-20.0, np.log(5.0))]
fits = []
for s in starts:
    r = optimize.minimize(ln_nll, s, method="Nelder-Mead", options={"xatol": 1e-10, "fatol": 1e-12, "maxiter": 20000, "maxfev": 40000})
    fits.append((r.fun, r.x[0], np.exp(r.x[1])))
fits.sort()
nll_best, mu_best, sigma_best = fits[0]

# The ridge: for each fixed mu, the best sigma (profile likelihood).
ridge = []
for mu in [2.0, 0.0, -2.0, -5.0, -10.0, -20.0, -50.0, -100.0, -300.0, -1000.0]:
    r = optimize.minimize_scalar(lambda ls: ln_nll((mu, ls)), bounds=(-3, 12), method="bounded", options={"xatol": 1e-10})
    R, z, p = vuong(ln_point(mu, np.exp(r.x)))
    ridge.append({"mu": mu, "sigma": float(np.exp(r.x)), "R": float(R), "normalisedR": float(z), "p": float(p)})

R, z, p = vuong(ln_point(mu_best, sigma_best))
out = {
    "data": path, "n": int(len(x)), "xmin": float(xmin), "alpha": float(alpha), "tail": int(n), "ks": float(ks),
    "powerLawLogLikelihood": float(l_pl.sum()),
    "lognormal": {"mu": float(mu_best), "sigma": float(sigma_best), "logLikelihood": float(-nll_best)},
    "R": float(R), "normalisedR": float(z), "p": float(p),
    "starts": [{"nll": float(f[0]), "mu": float(f[1]), "sigma": float(f[2])} for f in fits],
    "ridge": ridge,
}
if at:
    Ra, za, pa = vuong(ln_point(at[0], at[1]))
    out["at"] = {"mu": at[0], "sigma": at[1], "logLikelihood": float(ln_point(at[0], at[1]).sum()), "R": float(Ra), "normalisedR": float(za), "p": float(pa)}
if "--json" in sys.argv:
    print(json.dumps(out))
else:
    print(f"{path}: n = {len(x)}, xmin = {xmin:g}, alpha = {alpha:.4f}, tail = {n}, KS = {ks:.5f}")
    print(f"log-normal MLE: mu = {mu_best:.4f}, sigma = {sigma_best:.4f}")
    print(f"R = {R:.4f}, normalised R = {z:.4f}, p = {p:.4f}")
    if at:
        a = out["at"]
        print(f"at mu = {a['mu']:.6g}, sigma = {a['sigma']:.6g}: R = {a['R']:.6f}, normalised R = {a['normalisedR']:.6f}, p = {a['p']:.4f}")
    print("profile along mu (sigma optimised):")
    for r in ridge:
        print(f"  mu = {r['mu']:8.1f} sigma = {r['sigma']:9.3f} R = {r['R']:8.4f} normalised {r['normalisedR']:7.4f} p = {r['p']:.4f}")
