#nullable enable
using System;
using System.Collections.Generic;
using System.Linq;

// Dendrogram of an agglomerative merge list in scipy.cluster.hierarchy's linkage-matrix form (Müllner, arXiv 1109.2378, 2011, for the format).

/// <summary>A U-shaped link of the drawing (scipy's icoord/dcoord): four points from child A up, across, down to child B.</summary>
public sealed record DendrogramLink(double[] X, double[] Y);

/// <summary>
/// A dendrogram built from merges <c>(I, J, Height)</c> over n leaves, where I and J are NODE ids — any member of each of
/// the two merging clusters (as an exact box cover reports them). Produces the scipy linkage matrix, the leaf order
/// (left to right), leaf x positions 0..n−1 in that order, and line segments for plotting. Merges that leave several
/// clusters (fewer than n−1 rows) give a forest: its roots are drawn side by side.
/// Bad input throws a <see cref="SelfSimException"/>: a node id outside 0..n−1, a merge of two nodes already in the same
/// cluster, or heights that decrease (a complete-linkage merge sequence is monotone; sort it by height first).
/// </summary>
public sealed class Dendrogram
{
    public int LeafCount { get; }
    public LinkageRow[] Linkage { get; }
    /// <summary>Leaves from left to right.</summary>
    public int[] LeafOrder { get; }
    /// <summary>X position of each cluster id (leaves 0..n−1 then merged clusters n..), in drawing units (leaf spacing 1).</summary>
    public double[] X { get; }
    public DendrogramLink[] Links { get; }

    Dendrogram(int n, LinkageRow[] z, int[] order, double[] x, DendrogramLink[] links)
    { LeafCount = n; Linkage = z; LeafOrder = order; X = x; Links = links; }

    /// <summary>The linkage matrix as rows of doubles [A, B, Height, Size], exactly as scipy returns it.</summary>
    public double[][] LinkageMatrix() => Linkage.Select(r => new double[] { r.A, r.B, r.Height, r.Size }).ToArray();

    /// <summary>Every straight line of the drawing as ((x1, y1), (x2, y2)).</summary>
    public IEnumerable<((double X, double Y) From, (double X, double Y) To)> Segments()
    {
        foreach (var l in Links)
            for (int i = 0; i < 3; i++) yield return ((l.X[i], l.Y[i]), (l.X[i + 1], l.Y[i + 1]));
    }

    public static Dendrogram FromMerges(int leafCount, IReadOnlyList<(int I, int J, double Height)> merges)
    {
        int n = leafCount;
        if (n < 1) throw new SelfSimException($"A dendrogram needs at least one leaf; got {n}.");
        if (merges.Count > n - 1) throw new SelfSimException($"{merges.Count} merges over {n} leaves: at most n − 1 = {n - 1} merges can join distinct clusters.");
        var parent = new int[n];
        for (int i = 0; i < n; i++) parent[i] = i;
        var clusterOfRoot = new int[n]; // union-find root → current cluster id
        for (int i = 0; i < n; i++) clusterOfRoot[i] = i;
        var z = new LinkageRow[merges.Count];
        var size = new int[n + merges.Count];
        for (int i = 0; i < n; i++) size[i] = 1;
        double last = double.NegativeInfinity;
        for (int t = 0; t < merges.Count; t++)
        {
            var (I, J, h) = merges[t];
            if ((uint)I >= (uint)n || (uint)J >= (uint)n)
                throw new SelfSimException($"Merge {t} ({I}, {J}) names a node outside 0..{n - 1}: merges must use node ids of the {n} leaves.");
            if (double.IsNaN(h)) throw new SelfSimException($"Merge {t} has a NaN height.");
            if (h < last - 1e-12 * Math.Max(1, Math.Abs(last)))
                throw new SelfSimException($"Merge {t} has height {h}, below the previous {last}: pass merges in order of height (complete-linkage merges are monotone).");
            last = Math.Max(last, h);
            int ri = Find(I), rj = Find(J);
            if (ri == rj) throw new SelfSimException($"Merge {t} joins nodes {I} and {J}, which are already in the same cluster: each merge must join two different clusters.");
            int ca = clusterOfRoot[ri], cb = clusterOfRoot[rj];
            int id = n + t;
            size[id] = size[ca] + size[cb];
            z[t] = new LinkageRow(Math.Min(ca, cb), Math.Max(ca, cb), h, size[id]);
            parent[ri] = rj;
            clusterOfRoot[rj] = id;
        }
        // Layout: depth-first from each root (roots left to right by their smallest leaf), left child = A.
        int total = n + merges.Count;
        var isChild = new bool[total];
        foreach (var r in z) { isChild[r.A] = true; isChild[r.B] = true; }
        var roots = Enumerable.Range(0, total).Where(c => !isChild[c]).ToList();
        var minLeaf = new int[total];
        for (int c = 0; c < n; c++) minLeaf[c] = c;
        for (int t = 0; t < z.Length; t++) minLeaf[n + t] = Math.Min(minLeaf[z[t].A], minLeaf[z[t].B]);
        roots.Sort((p, q) => minLeaf[p].CompareTo(minLeaf[q]));
        var order = new List<int>(n);
        var x = new double[total];
        var y = new double[total];
        var stack = new Stack<(int C, bool Expanded)>();
        foreach (var root in roots)
        {
            stack.Push((root, false));
            while (stack.Count > 0)
            {
                var (c, expanded) = stack.Pop();
                if (c < n) { x[c] = order.Count; order.Add(c); continue; }
                var row = z[c - n];
                if (!expanded) { stack.Push((c, true)); stack.Push((row.B, false)); stack.Push((row.A, false)); }
                else { x[c] = 0.5 * (x[row.A] + x[row.B]); y[c] = row.Height; }
            }
        }
        var links = z.Select(r => new DendrogramLink(new[] { x[r.A], x[r.A], x[r.B], x[r.B] }, new[] { y[r.A], r.Height, r.Height, y[r.B] })).ToArray();
        return new Dendrogram(n, z, order.ToArray(), x, links);

        int Find(int v)
        {
            while (parent[v] != v) { parent[v] = parent[parent[v]]; v = parent[v]; }
            return v;
        }
    }
}
