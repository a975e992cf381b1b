#nullable enable
using System;
using System.Collections.Generic;

// Compressed sparse row (CSR) storage for undirected simple graphs, as in networkx/igraph adjacency arrays.

/// <summary>What to do with an edge (v, v) when a graph is built from an edge list.</summary>
public enum SelfLoopPolicy
{
    /// <summary>Drop self-loops and count them in <see cref="CsrGraph.SelfLoopsDropped"/> (default: box covering and clustering ignore them).</summary>
    Drop,
    /// <summary>Throw a <see cref="SelfSimException"/> naming the first self-loop.</summary>
    Reject,
}

/// <summary>
/// An undirected simple graph in CSR arrays: the neighbours of node v are
/// <c>Targets[Offsets[v] .. Offsets[v+1])</c>, sorted ascending, without duplicates or self-loops.
/// Nodes are 0..NodeCount-1. Every edge is stored twice (once per endpoint).
/// </summary>
public sealed class CsrGraph
{
    public int NodeCount { get; }
    public int[] Offsets { get; }
    public int[] Targets { get; }
    /// <summary>Number of undirected edges.</summary>
    public int EdgeCount => Targets.Length / 2;
    /// <summary>Self-loops removed while building (policy Drop).</summary>
    public int SelfLoopsDropped { get; }
    /// <summary>Repeated edges merged while building ((u,v) and (v,u) count as the same edge).</summary>
    public int DuplicatesMerged { get; }

    public CsrGraph(int nodeCount, int[] offsets, int[] targets, int selfLoopsDropped = 0, int duplicatesMerged = 0)
    {
        if (nodeCount < 0) throw new ArgumentOutOfRangeException(nameof(nodeCount));
        if (offsets.Length != nodeCount + 1 || offsets[nodeCount] != targets.Length)
            throw new ArgumentException("CSR offsets must have NodeCount+1 entries ending at Targets.Length.");
        NodeCount = nodeCount; Offsets = offsets; Targets = targets;
        SelfLoopsDropped = selfLoopsDropped; DuplicatesMerged = duplicatesMerged;
    }

    public ReadOnlySpan<int> Neighbors(int v) => new ReadOnlySpan<int>(Targets, Offsets[v], Offsets[v + 1] - Offsets[v]);
    public int Degree(int v) => Offsets[v + 1] - Offsets[v];

    /// <summary>The degree of every node, indexed by node id.</summary>
    public int[] DegreeSequence()
    {
        var d = new int[NodeCount];
        for (int v = 0; v < NodeCount; v++) d[v] = Offsets[v + 1] - Offsets[v];
        return d;
    }

    public bool HasEdge(int u, int v) => Array.BinarySearch(Targets, Offsets[u], Offsets[u + 1] - Offsets[u], v) >= 0;

    /// <summary>Undirected edges (u &lt; v), in CSR order.</summary>
    public IEnumerable<(int U, int V)> Edges()
    {
        for (int u = 0; u < NodeCount; u++)
            for (int e = Offsets[u]; e < Offsets[u + 1]; e++)
                if (Targets[e] > u) yield return (u, Targets[e]);
    }

    /// <summary>
    /// Refuses a graph of <paramref name="nodes"/> nodes and about <paramref name="edges"/> edges before it is built when
    /// it exceeds the CSR layout (2·edges adjacency entries in one int-indexed array) or the machine's memory
    /// (about 40 bytes per edge while building, 16 per node).
    /// </summary>
    public static void CheckSize(long nodes, double edges, string what, string lower)
    {
        if (2 * edges > int.MaxValue)
            throw new SelfSimException($"{what} has about {edges:G3} edges; a graph holds at most {int.MaxValue / 2:N0} ({2 * edges:G3} adjacency entries do not fit one array). {lower}");
        ResourceLimits.Require(40.0 * edges + 16.0 * nodes, $"{what} ({nodes:N0} nodes, about {edges:G3} edges)", lower);
    }

    public static CsrGraph FromEdges(int nodeCount, IReadOnlyList<(int U, int V)> edges, SelfLoopPolicy selfLoops = SelfLoopPolicy.Drop)
    {
        var src = new int[edges.Count]; var dst = new int[edges.Count];
        for (int i = 0; i < edges.Count; i++) { src[i] = edges[i].U; dst[i] = edges[i].V; }
        return FromEdges(nodeCount, src, dst, selfLoops);
    }

    /// <summary>
    /// Builds the graph from parallel endpoint arrays. Duplicate edges (either orientation) are merged and counted;
    /// self-loops follow <paramref name="selfLoops"/>. Endpoints must lie in 0..nodeCount-1.
    /// </summary>
    public static CsrGraph FromEdges(int nodeCount, int[] src, int[] dst, SelfLoopPolicy selfLoops = SelfLoopPolicy.Drop)
    {
        if (src.Length != dst.Length) throw new ArgumentException("Edge endpoint arrays differ in length.");
        var deg = new int[nodeCount + 1];
        int loops = 0;
        for (int i = 0; i < src.Length; i++)
        {
            int u = src[i], v = dst[i];
            if ((uint)u >= (uint)nodeCount || (uint)v >= (uint)nodeCount)
                throw new SelfSimException($"Edge {i} ({u}, {v}) names a node outside 0..{nodeCount - 1}: pass a node count that covers every endpoint.");
            if (u == v)
            {
                if (selfLoops == SelfLoopPolicy.Reject)
                    throw new SelfSimException($"Edge {i} is a self-loop on node {u}: remove it, or build with SelfLoopPolicy.Drop.");
                loops++; continue;
            }
            deg[u]++; deg[v]++;
        }
        var off = new int[nodeCount + 1];
        for (int v = 0; v < nodeCount; v++) off[v + 1] = off[v] + deg[v];
        var tgt = new int[off[nodeCount]];
        var pos = new int[nodeCount];
        Array.Copy(off, pos, nodeCount);
        for (int i = 0; i < src.Length; i++)
        {
            int u = src[i], v = dst[i];
            if (u == v) continue;
            tgt[pos[u]++] = v; tgt[pos[v]++] = u;
        }
        // Sort each row and drop repeats, compacting in place.
        int write = 0, dups = 0;
        var newOff = new int[nodeCount + 1];
        for (int v = 0; v < nodeCount; v++)
        {
            int a = off[v], b = off[v + 1];
            Array.Sort(tgt, a, b - a);
            newOff[v] = write;
            int last = -1;
            for (int e = a; e < b; e++)
            {
                if (tgt[e] == last) { dups++; continue; }
                last = tgt[e]; tgt[write++] = last;
            }
        }
        newOff[nodeCount] = write;
        if (write != tgt.Length) Array.Resize(ref tgt, write);
        return new CsrGraph(nodeCount, newOff, tgt, loops, dups / 2);
    }

    /// <summary>The subgraph induced by <paramref name="nodes"/>; node i of the result is nodes[i] here.</summary>
    public CsrGraph InducedSubgraph(int[] nodes)
    {
        var map = new int[NodeCount];
        Array.Fill(map, -1);
        for (int i = 0; i < nodes.Length; i++) map[nodes[i]] = i;
        var off = new int[nodes.Length + 1];
        for (int i = 0; i < nodes.Length; i++)
        {
            int c = 0;
            foreach (var w in Neighbors(nodes[i])) if (map[w] >= 0) c++;
            off[i + 1] = off[i] + c;
        }
        var tgt = new int[off[nodes.Length]];
        for (int i = 0; i < nodes.Length; i++)
        {
            int p = off[i];
            foreach (var w in Neighbors(nodes[i])) if (map[w] >= 0) tgt[p++] = map[w];
            Array.Sort(tgt, off[i], off[i + 1] - off[i]);
        }
        return new CsrGraph(nodes.Length, off, tgt);
    }

    public override string ToString() => $"CsrGraph({NodeCount} nodes, {EdgeCount} edges)";
}
