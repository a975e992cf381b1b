#nullable enable
using System;
using System.Collections.Generic;

// Deterministic hierarchical network: Ravasz & Barabási, Phys. Rev. E 67, 026112 (2003), figure 1; C(k) ~ k^(−1).

/// <summary>
/// The Ravasz–Barabási hierarchical model: level 0 is a 5-clique whose node 0 is the hub; level t+1 adds four copies
/// of level t and links the hub (node 0) to every peripheral node of the copies (the copies' own peripheral nodes;
/// at level 0 the four non-hub nodes). 5^(t+1) nodes; clustering scales as C(k) ~ k^(−1).
/// </summary>
public static class HierarchicalModelGraph
{
    public static CsrGraph Create(int levels)
    {
        if (levels < 0 || levels > 8) throw new SelfSimException($"Hierarchical model levels = {levels}: choose 0..8 (5^(levels+1) nodes).");
        var a = new List<int>(); var b = new List<int>();
        for (int i = 0; i < 5; i++) for (int j = i + 1; j < 5; j++) { a.Add(i); b.Add(j); }
        var peripheral = new List<int> { 1, 2, 3, 4 };
        int n = 5;
        for (int t = 0; t < levels; t++)
        {
            int m = a.Count;
            var nextPeripheral = new List<int>();
            for (int copy = 1; copy <= 4; copy++)
            {
                int off = copy * n;
                for (int e = 0; e < m; e++) { a.Add(a[e] + off); b.Add(b[e] + off); }
                foreach (var p in peripheral) { a.Add(0); b.Add(p + off); nextPeripheral.Add(p + off); }
            }
            peripheral = nextPeripheral;
            n *= 5;
        }
        return CsrGraph.FromEdges(n, a.ToArray(), b.ToArray());
    }
}
