"""Linear CKA and its unbiased-HSIC form in NumPy, independent of the C# code (Kornblith et al. 2019, eqs. in sec. 3;
unbiased HSIC: Song et al. 2012, eq. 5), on data it makes itself.

Usage: /usr/bin/python3 tests/python/cka_reference.py OUT_DIR
Writes A.npy [n, p] and B.npy [n, q] (float64, samples in rows; B is a noisy linear map of A) and prints JSON with
"cka" and "ckaUnbiased", computed the textbook way: centring matrix H, HSIC = tr(KHLH) for the plain form.
"""
import json
import sys
from pathlib import Path

import numpy as np


def linear_cka(x, y):
    n = x.shape[0]
    h = np.eye(n) - np.ones((n, n)) / n
    k, l = x @ x.T, y @ y.T
    hsic = lambda a, b: np.trace(a @ h @ b @ h)
    return hsic(k, l) / np.sqrt(hsic(k, k) * hsic(l, l))


def hsic_unbiased(k, l):
    n = k.shape[0]
    k, l = k.copy(), l.copy()
    np.fill_diagonal(k, 0)
    np.fill_diagonal(l, 0)
    one = np.ones(n)
    return (np.trace(k @ l) + (one @ k @ one) * (one @ l @ one) / ((n - 1) * (n - 2))
            - 2 / (n - 2) * (one @ k @ l @ one)) / (n * (n - 3))


def cka_unbiased(x, y):
    x = x - x.mean(0)
    y = y - y.mean(0)
    k, l = x @ x.T, y @ y.T
    return hsic_unbiased(k, l) / np.sqrt(hsic_unbiased(k, k) * hsic_unbiased(l, l))


def main():
    out = Path(sys.argv[1])
    rng = np.random.default_rng(7)
    a = rng.normal(size=(60, 12)) + 3.0
    b = np.tanh(a @ rng.normal(size=(12, 20))) + 0.3 * rng.normal(size=(60, 20))
    np.save(out / "A.npy", a)
    np.save(out / "B.npy", b)
    print(json.dumps({"cka": linear_cka(a, b), "ckaUnbiased": cka_unbiased(a, b)}))


if __name__ == "__main__":
    main()
