#!/usr/bin/python3
"""Exact check of box counts on small (u,v)-flowers by integer programming (SciPy's HiGHS MILP).

Written for this project (no project code). Builds the (u,v)-flower of a generation, takes all-pairs hop
distances, and asks whether K boxes of size l_B suffice: a cover by K sets whose members are at mutual
distance < l_B is a K-colouring of the graph joining pairs at distance >= l_B (Song et al. 2007).
Prints feasible / infeasible / undecided (time limit) per query.

Usage: /usr/bin/python3 tools/checks/flower_min_cover_ilp.py U,V,GEN,L_B,K [...]
       /usr/bin/python3 tools/checks/flower_min_cover_ilp.py --min U,V,GEN L_B[,L_B...]
--min gives the exact minimum N_B: a box is a clique of the graph joining pairs at distance < l_B, every box lies in a
maximal one (igraph enumerates them), so the minimum cover is a set-cover ILP over maximal cliques (HiGHS, 120 s
limit per size; "undecided" when the limit or the clique count, 200,000, is hit). Measured minima, l_B = 3..10:
(2,3) gen 4 (470 nodes): 95 75 45 35 20 18 15 12; (2,3) gen 5 (2,345 nodes): 470 375 220 175 95 85 70 55;
(2,4) gen 4 (1,038 nodes), l_B = 3..6: 282 216 120 108.
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


def minimum(u, v, gen, l, seconds=120, max_cliques=200_000):
    import igraph as ig
    n, e = flower(u, v, gen)
    a = sp.coo_matrix((np.ones(len(e)), ([x for x, _ in e], [y for _, y in e])), shape=(n, n))
    d = cg.shortest_path(a, directed=False, unweighted=True)
    iu, ju = np.nonzero(np.triu(d < l, 1))
    cl = ig.Graph(n=n, edges=list(zip(iu.tolist(), ju.tolist()))).maximal_cliques()
    if len(cl) > max_cliques:
        return n, len(cl), "undecided (too many maximal boxes)"
    rows = np.concatenate([np.array(c) for c in cl]); cols = np.repeat(np.arange(len(cl)), [len(c) for c in cl])
    cover = sp.csr_matrix((np.ones(len(rows)), (rows, cols)), shape=(n, len(cl)))
    r = milp(np.ones(len(cl)), constraints=[LinearConstraint(cover, 1, np.inf)], integrality=np.ones(len(cl)),
             bounds=Bounds(0, 1), options={"time_limit": seconds})
    return n, len(cl), (str(round(r.fun)) if r.status == 0 else "undecided (time limit)")


if len(sys.argv) == 4 and sys.argv[1] == "--min":
    u, v, gen = map(int, sys.argv[2].split(","))
    for l in map(int, sys.argv[3].split(",")):
        n, m, verdict = minimum(u, v, gen, l)
        print(f"({u},{v})-flower gen {gen} ({n} nodes): minimum N_B at l_B = {l}: {verdict} ({m} maximal boxes)", flush=True)
    sys.exit(0)

for q in sys.argv[1:]:
    u, v, gen, l, k = map(int, q.split(","))
    n, verdict = feasible(u, v, gen, l, k)
    print(f"({u},{v})-flower gen {gen} ({n} nodes): {k} boxes at l_B = {l}: {verdict}", flush=True)
