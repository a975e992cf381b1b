#nullable enable
using System;
using System.Threading;
using System.Threading.Tasks;

// Breadth-first search shortest-path (hop) distances (networkx single_source_shortest_path_length).

/// <summary>Unweighted shortest-path distances by breadth-first search on a <see cref="CsrGraph"/>.</summary>
public static class GraphBfs
{
    /// <summary>Distances from <paramref name="source"/>; -1 where unreachable or farther than <paramref name="maxDepth"/>.</summary>
    public static int[] Distances(CsrGraph g, int source, int maxDepth = int.MaxValue)
    {
        if ((uint)source >= (uint)g.NodeCount) throw new ArgumentOutOfRangeException(nameof(source), $"node {source} is not in 0..{g.NodeCount - 1}");
        var dist = new int[g.NodeCount];
        Array.Fill(dist, -1);
        var queue = new int[g.NodeCount];
        int head = 0, tail = 0;
        dist[source] = 0; queue[tail++] = source;
        while (head < tail)
        {
            int v = queue[head++], dv = dist[v];
            if (dv >= maxDepth) continue;
            for (int e = g.Offsets[v]; e < g.Offsets[v + 1]; e++)
            {
                int w = g.Targets[e];
                if (dist[w] < 0) { dist[w] = dv + 1; queue[tail++] = w; }
            }
        }
        return dist;
    }

    /// <summary>All-pairs distances as a row-major n×n matrix (-1 = unreachable). Memory n² ints: meant for small graphs.</summary>
    public static int[] AllPairs(CsrGraph g)
    {
        int n = g.NodeCount;
        if ((long)n * n > 400_000_000L)
            throw new SelfSimException($"All-pairs distances for {n} nodes need {(long)n * n * 4 / (1 << 20)} MiB: use GraphBfs.Distances per source instead.");
        var all = new int[(long)n * n];
        Parallel.For(0, n, () => new BfsScratch(n), (s, _, scratch) =>
        {
            scratch.Run(g, s, int.MaxValue);
            var row = new Span<int>(all, s * n, n);
            row.Fill(-1);
            for (int i = 0; i < scratch.Count; i++) row[scratch.Order[i]] = scratch.DepthOf(scratch.Order[i]);
            return scratch;
        }, _ => { });
        return all;
    }

    /// <summary>All-pairs distances up to <paramref name="maxDepth"/> (at most 254) as a row-major n×n byte matrix; a
    /// node not reached within maxDepth reads 255 (far at every size up to 255). n² bytes, a quarter of <see cref="AllPairs"/>.</summary>
    public static byte[] AllPairsCapped(CsrGraph g, int maxDepth)
    {
        if (maxDepth < 0 || maxDepth > 254) throw new ArgumentOutOfRangeException(nameof(maxDepth), maxDepth, "a byte distance table holds depths 0..254 (255 = farther)");
        int n = g.NodeCount;
        var dist = new byte[(long)n * n];
        Parallel.For(0, n, () => new BfsScratch(n), (s, _, bfs) =>
        {
            bfs.Run(g, s, maxDepth);
            long row = (long)s * n;
            for (int j = 0; j < n; j++) { int d = bfs.DepthOf(j); dist[row + j] = d < 0 ? (byte)255 : (byte)d; }
            return bfs;
        }, _ => { });
        return dist;
    }

    /// <summary>
    /// A lower bound on the diameter by repeated double sweeps (exact on trees and on most sparse graphs met in practice).
    /// </summary>
    public static int DiameterLowerBound(CsrGraph g, int sweeps = 4, int seed = 1)
    {
        if (g.NodeCount == 0) return 0;
        var s = new BfsScratch(g.NodeCount);
        var rng = new Random(seed);
        int best = 0, start = 0;
        for (int k = 0; k < sweeps; k++)
        {
            s.Run(g, start, int.MaxValue);
            int far = s.Order[s.Count - 1];
            s.Run(g, far, int.MaxValue);
            int ecc = s.DepthOf(s.Order[s.Count - 1]);
            if (ecc > best) best = ecc;
            start = k % 2 == 0 ? s.Order[s.Count - 1] : rng.Next(g.NodeCount);
        }
        return best;
    }
}

/// <summary>
/// Reusable BFS state (no allocation per search): after <see cref="Run"/>, Order[0..Count) lists reached nodes by
/// non-decreasing depth and <see cref="DepthOf"/> gives their distance. Generation stamps make reset O(1).
/// </summary>
public sealed class BfsScratch
{
    readonly int[] _stamp;
    readonly int[] _depth;
    public int[] Order { get; }
    public int Count { get; private set; }
    int _gen;

    public BfsScratch(int n) { _stamp = new int[n]; _depth = new int[n]; Order = new int[Math.Max(n, 1)]; }

    public bool Reached(int v) => _stamp[v] == _gen;
    public int DepthOf(int v) => _stamp[v] == _gen ? _depth[v] : -1;

    /// <summary>Breadth-first search from <paramref name="source"/> out to <paramref name="maxDepth"/> hops.</summary>
    public void Run(CsrGraph g, int source, int maxDepth)
    {
        if (++_gen == int.MaxValue) { Array.Clear(_stamp); _gen = 1; }
        int gen = _gen, head = 0, tail = 0;
        var off = g.Offsets; var tg = g.Targets;
        _stamp[source] = gen; _depth[source] = 0; Order[tail++] = source;
        while (head < tail)
        {
            int v = Order[head++], dv = _depth[v];
            if (dv >= maxDepth) continue;
            int nd = dv + 1;
            for (int e = off[v], end = off[v + 1]; e < end; e++)
            {
                int w = tg[e];
                if (_stamp[w] != gen) { _stamp[w] = gen; _depth[w] = nd; Order[tail++] = w; }
            }
        }
        Count = tail;
    }

    /// <summary>
    /// Like <see cref="Run"/>, but stops as soon as every node of <paramref name="targets"/>[0..count) has been reached
    /// (their depths are then final); unreached targets are farther than <paramref name="maxDepth"/>.
    /// </summary>
    public void RunUntilFound(CsrGraph g, int source, int maxDepth, int[] targets, int count)
    {
        if (_gen > int.MaxValue - 4) { Array.Clear(_stamp); _gen = 0; }
        int tgen = ++_gen, gen = ++_gen; // targets carry tgen until reached
        for (int i = 0; i < count; i++) _stamp[targets[i]] = tgen;
        int left = count;
        for (int i = 0; i < count; i++) if (targets[i] == source) left--;
        int head = 0, tail = 0;
        var off = g.Offsets; var tg = g.Targets;
        _stamp[source] = gen; _depth[source] = 0; Order[tail++] = source;
        while (head < tail && left > 0)
        {
            int v = Order[head++], dv = _depth[v];
            if (dv >= maxDepth) break;
            int nd = dv + 1;
            for (int e = off[v], end = off[v + 1]; e < end; e++)
            {
                int w = tg[e];
                int st = _stamp[w];
                if (st != gen)
                {
                    if (st == tgen) left--;
                    _stamp[w] = gen; _depth[w] = nd; Order[tail++] = w;
                }
            }
        }
        Count = tail;
    }
}
