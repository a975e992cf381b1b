#nullable enable
using System;
using System.Collections.Generic;

// Preferential attachment: Barabási & Albert, Science 286, 509 (1999); construction as networkx barabasi_albert_graph.

/// <summary>
/// Barabási–Albert graph with n nodes: start from a star on m+1 nodes, then each new node links to m distinct
/// existing nodes chosen with probability proportional to degree. Seeded, so the same seed gives the same graph.
/// A small-world control: not fractal.
/// </summary>
public static class BarabasiAlbertGraph
{
    public static CsrGraph Create(int n, int m, int seed = 0)
    {
        if (m < 1 || m >= n) throw new SelfSimException($"Barabási–Albert needs 1 ≤ m < n; got n = {n}, m = {m}.");
        CsrGraph.CheckSize(n, (double)n * m, $"ba:{n},{m}", "Lower N or M.");
        var rng = new Random(seed);
        var a = new List<int>(n * m); var b = new List<int>(n * m);
        var repeated = new List<int>(2 * n * m);
        for (int t = 1; t <= m; t++) { a.Add(0); b.Add(t); repeated.Add(0); repeated.Add(t); }
        var chosen = new HashSet<int>();
        var targets = new int[m];
        for (int src = m + 1; src < n; src++)
        {
            chosen.Clear();
            int c = 0;
            while (c < m)
            {
                int t = repeated[rng.Next(repeated.Count)];
                if (chosen.Add(t)) targets[c++] = t;
            }
            for (int i = 0; i < m; i++) { a.Add(src); b.Add(targets[i]); repeated.Add(src); repeated.Add(targets[i]); }
        }
        return CsrGraph.FromEdges(n, a.ToArray(), b.ToArray());
    }
}
