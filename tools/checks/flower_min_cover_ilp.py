#!/usr/bin/python3
"""Exact check of box counts on small (u,v)-flowers by integer programming (SciPy's HiGHS MILP).

Written for this project (no project code). Builds the (u,v)-flower of a generation, takes all-pairs hop
distances, and asks whether K boxes of size l_B suffice: a cover by K sets whose members are at mutual
distance < l_B is a K-colouring of the graph joining pairs at distance >= l_B (Song et al. 2007).
Prints feasible / infeasible / undecided (time limit) per query.

Usage: /usr/bin/python3 tools/checks/flower_min_cover_ilp.py U,V,GEN,L_B,K [...]
Measured (2,3)-flower of generation 3 (95 nodes): 5 boxes infeasible at l_B = 6, feasible at 7; 2 boxes
infeasible at l_B = 12, feasible at 13; 6 boxes infeasible at 6. FlowerGraph.OptimalBoxCounts claims 5 at 6
and 2 at 12, so its sizes are too small for u < v.
"""
import sys
import numpy as np
import scipy.sparse as sp
import scipy.sparse.csgraph as cg
from scipy.optimize import milp, LinearConstraint, Bounds


def flower(u, v, gen):
    edges, nxt = [(0, 1)], 2
    for _ in range(gen):
        grown = []
        for a, b in edges:
            for length in (u, v):
                prev = a
                for _ in range(1, length):
                    grown.append((prev, nxt)); prev = nxt; nxt += 1
                grown.append((prev, b))
        edges = grown
    return nxt, edges


def feasible(u, v, gen, l, k, seconds=60):
    n, e = flower(u, v, gen)
    a = sp.coo_matrix((np.ones(len(e)), ([x for x, _ in e], [y for _, y in e])), shape=(n, n))
    d = cg.shortest_path(a, directed=False, unweighted=True)
    far_i, far_j = np.nonzero(np.triu(d >= l, 1))
    m = len(far_i)
    rows = np.repeat(np.arange(m * k), 2)
    cols = np.concatenate([np.stack([far_i * k + c, far_j * k + c], 1).ravel() for c in range(k)]) if m else []
    cons = [LinearConstraint(sp.csr_matrix((np.ones(n * k), (np.repeat(np.arange(n), k), np.arange(n * k))),
                                           shape=(n, n * k)), 1, 1)]
    if m:
        cons.append(LinearConstraint(sp.csr_matrix((np.ones(2 * m * k), (rows, cols)), shape=(m * k, n * k)), 0, 1))
    r = milp(np.zeros(n * k), constraints=cons, integrality=np.ones(n * k), bounds=Bounds(0, 1),
             options={"time_limit": seconds})
    return n, {0: "feasible", 2: "infeasible"}.get(r.status, "undecided")


for q in sys.argv[1:]:
    u, v, gen, l, k = map(int, q.split(","))
    n, verdict = feasible(u, v, gen, l, k)
    print(f"({u},{v})-flower gen {gen} ({n} nodes): {k} boxes at l_B = {l}: {verdict}", flush=True)
