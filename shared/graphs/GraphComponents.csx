#nullable enable
using System;
using System.Linq;

// Connected components by breadth-first search (networkx connected_components); labels ordered by size, largest first.

/// <summary>Connected components of a <see cref="CsrGraph"/>: Labels[v] is the component of v, 0 = largest.</summary>
public sealed class GraphComponents
{
    public int[] Labels { get; }
    /// <summary>Component sizes, descending (Sizes[0] is the largest component).</summary>
    public int[] Sizes { get; }
    public int Count => Sizes.Length;

    GraphComponents(int[] labels, int[] sizes) { Labels = labels; Sizes = sizes; }

    public static GraphComponents Compute(CsrGraph g)
    {
        int n = g.NodeCount;
        var raw = new int[n];
        Array.Fill(raw, -1);
        var queue = new int[Math.Max(n, 1)];
        var rawSizes = new System.Collections.Generic.List<int>();
        for (int s = 0; s < n; s++)
        {
            if (raw[s] >= 0) continue;
            int c = rawSizes.Count, head = 0, tail = 0;
            raw[s] = c; queue[tail++] = s;
            while (head < tail)
            {
                int v = queue[head++];
                for (int e = g.Offsets[v]; e < g.Offsets[v + 1]; e++)
                {
                    int w = g.Targets[e];
                    if (raw[w] < 0) { raw[w] = c; queue[tail++] = w; }
                }
            }
            rawSizes.Add(tail);
        }
        // Relabel so that 0 is the largest (ties: the component holding the smaller node id first).
        var order = Enumerable.Range(0, rawSizes.Count).OrderByDescending(c => rawSizes[c]).ThenBy(c => c).ToArray();
        var rank = new int[order.Length];
        for (int i = 0; i < order.Length; i++) rank[order[i]] = i;
        for (int v = 0; v < n; v++) raw[v] = rank[raw[v]];
        return new GraphComponents(raw, order.Select(c => rawSizes[c]).ToArray());
    }

    /// <summary>Node ids (ascending) of component <paramref name="label"/>.</summary>
    public int[] Members(int label)
    {
        var m = new int[Sizes[label]];
        int p = 0;
        for (int v = 0; v < Labels.Length; v++) if (Labels[v] == label) m[p++] = v;
        return m;
    }
}

/// <summary>The largest connected component as its own graph, with the map back to the original ids.</summary>
public sealed record LargestComponent(CsrGraph Graph, int[] ToOriginal, int OriginalNodeCount, int ComponentCount)
{
    /// <summary>True when the whole graph was one component (the map is the identity).</summary>
    public bool IsWholeGraph => Graph.NodeCount == OriginalNodeCount;

    /// <summary>One line saying what was analysed, for results and reports.</summary>
    public string Describe() => IsWholeGraph
        ? $"connected graph, all {OriginalNodeCount} nodes analysed"
        : $"largest connected component: {Graph.NodeCount} of {OriginalNodeCount} nodes ({ComponentCount} components; the rest ignored)";

    /// <summary>
    /// Extracts the largest component. An empty graph throws a <see cref="SelfSimException"/> (there is nothing to analyse).
    /// </summary>
    public static LargestComponent Of(CsrGraph g)
    {
        if (g.NodeCount == 0)
            throw new SelfSimException("The graph is empty (0 nodes): build it from at least one edge, or lower the threshold scale so nodes connect.");
        var comps = GraphComponents.Compute(g);
        if (comps.Count == 1)
        {
            var id = new int[g.NodeCount];
            for (int i = 0; i < id.Length; i++) id[i] = i;
            return new LargestComponent(g, id, g.NodeCount, 1);
        }
        var members = comps.Members(0);
        return new LargestComponent(g.InducedSubgraph(members), members, g.NodeCount, comps.Count);
    }
}
