#nullable enable
using System;
using System.Collections.Generic;

// G(n, p) random graph (Erdős & Rényi 1959), sampled by geometric skipping (Batagelj & Brandes, Phys. Rev. E 71, 036113, 2005).

/// <summary>Erdős–Rényi G(n, p): every pair linked independently with probability p. Seeded. May be disconnected.</summary>
public static class ErdosRenyiGraph
{
    public static CsrGraph Create(int n, double p, int seed = 0)
    {
        if (n < 1) throw new SelfSimException($"Erdős–Rényi needs n ≥ 1; got {n}.");
        if (!(p >= 0 && p <= 1)) throw new SelfSimException($"Erdős–Rényi edge probability p = {p} must lie in [0, 1].");
        CsrGraph.CheckSize(n, p * n * (n - 1.0) / 2, $"er:{n},{p}", "Lower N or P.");
        var rng = new Random(seed);
        var a = new List<int>(); var b = new List<int>();
        if (p > 0)
        {
            double lq = Math.Log(1 - p);
            long v = 1, w = -1;
            while (v < n)
            {
                double r = 1 - rng.NextDouble();
                w += p >= 1 ? 1 : 1 + (long)Math.Floor(Math.Log(r) / lq);
                while (w >= v && v < n) { w -= v; v++; }
                if (v < n) { a.Add((int)v); b.Add((int)w); }
            }
        }
        return CsrGraph.FromEdges(n, a.ToArray(), b.ToArray());
    }
}
