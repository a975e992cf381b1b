#nullable enable
using System;
using System.Collections.Generic;
using System.Linq;
using System.Runtime.InteropServices;
using TorchSharp;
using static TorchSharp.torch;

// The exact box cover of the reference's sfm/draw_NLL.py (box_edge), Ding et al. 2025 (arXiv 2507.17785):
// walk the node pairs by increasing distance and merge two boxes when the pair completes every link between
// them, i.e. greedy complete-linkage clustering (after Song, Havlin & Makse 2007's box covering). Computed here
// with the nearest-neighbour chain algorithm (Murtagh 1983), O(n²) time.

/// <summary>The box-covering merge sequence of <see cref="BoxCover"/>.</summary>
public sealed class BoxCoverResult
{
    /// <summary>Number of nodes n.</summary>
    public int Nodes { get; }
    /// <summary>Box size l_B of each merge, in merge order (non-decreasing): the distance of the pair that completed it.</summary>
    public double[] BoxSizes { get; }
    /// <summary>The node pair (I &lt; J) that completed each merge, as the reference reports it.</summary>
    public (int I, int J)[] Merges { get; }
    /// <summary>N_B, the number of boxes after each merge: n − 1 − k for merge k.</summary>
    public int[] BoxCounts { get; }
    /// <summary>The merge tree as SciPy's linkage matrix, one <see cref="LinkageRow"/> per merge: leaves are 0..n−1,
    /// merge k creates cluster n + k; A &lt; B are the clusters joined, Height is l_B and Size the nodes in the new
    /// cluster. The same rows as <c>Dendrogram.FromMerges(Nodes, …Merges with BoxSizes).Linkage</c>.</summary>
    public LinkageRow[] Tree { get; }

    internal BoxCoverResult(int n, double[] sizes, (int, int)[] merges, LinkageRow[] tree)
    {
        Nodes = n; BoxSizes = sizes; Merges = merges; Tree = tree;
        BoxCounts = Enumerable.Range(0, sizes.Length).Select(k => n - 1 - k).ToArray();
    }

    /// <summary>The box-covering curve (l_B, N_B), one point per merge.</summary>
    public IEnumerable<(double BoxSize, int Boxes)> Curve => BoxSizes.Zip(BoxCounts, (l, b) => (l, b));

    /// <summary>The reference's normalised fit (see <see cref="BoxDimensionFitter.Normalised"/>).</summary>
    public NormalisedBoxFit NormalisedFit() => BoxDimensionFitter.Normalised(this);

    /// <summary>The unnormalised log-log d_B: over box sizes [minSize, maxSize] when given
    /// (<see cref="BoxDimensionFitter.LogLog(BoxCoverResult, double?, double?, double)"/>), else over the default
    /// large-box window of <see cref="BoxDimensionFitter.LogLogByBoxes"/>.</summary>
    public BoxDimensionFit Dimension(double? minSize = null, double? maxSize = null, double confidence = 0.95) =>
        minSize is null && maxSize is null
            ? BoxDimensionFitter.LogLogByBoxes(this, confidence: confidence)
            : BoxDimensionFitter.LogLog(this, minSize, maxSize, confidence);
}

/// <summary>
/// The exact box cover of a node matrix: the reference's box_edge, i.e. greedy complete linkage over the node
/// pairs' distances (Euclidean over √d, as the reference). Pairs with equal distances are taken in (i, j) order,
/// as a stable sort of the reference's edge list would (the reference's numpy quicksort leaves equal-distance
/// order unspecified). O(n²) time, two n×n matrices of memory (about 200 MB at n = 4096).
/// </summary>
public static class BoxCover
{
    /// <summary>Box cover of x [n, d] (rows are nodes).</summary>
    public static BoxCoverResult Compute(Tensor x)
    {
        Srate.ValidateFeatures(x, "BoxCover", 2);
        int n = (int)x.shape[0];
        if (!PairDistances.CpuPathFits(n))
            throw new SelfSimException($"BoxCover: {n} nodes need an n×n distance matrix over 2 GB; use at most 16383 nodes.");
        using var D = PairDistances.UpperCpuTensor(x, mirror: true);
        return Run(MemoryMarshal.Cast<byte, double>(D.bytes), n);   // works in the tensor's own memory
    }

    /// <summary>Box cover of a row-major float matrix (rows are nodes).</summary>
    public static BoxCoverResult Compute(float[] data, int rows, int cols) => Compute(tensor(data, new long[] { rows, cols }));

    /// <summary>The full n×n distance matrix (float64) that the box cover uses: ‖x_i − x_j‖/√d.</summary>
    public static Tensor Distances(Tensor x)
    {
        return PairDistances.Matrix(x);
    }

    /// <summary>Box cover from a full symmetric n×n distance matrix (row-major; the diagonal is ignored),
    /// the reference's direct=True. Other metrics (cosine, correlation) enter here.</summary>
    public static BoxCoverResult FromDistances(double[] distances, int n)
    {
        if (distances is null || (long)n * n != distances.Length)
            throw new SelfSimException($"BoxCover.FromDistances needs an n×n matrix; got {distances?.Length ?? 0} values for n = {n}.");
        if (n < 2) throw new SelfSimException($"BoxCover needs at least 2 nodes; got {n}.");
        for (int i = 0; i < n; i++)
            for (int j = i + 1; j < n; j++)
            {
                double v = distances[i * n + j];
                if (double.IsNaN(v) || double.IsInfinity(v) || v < 0)
                    throw new SelfSimException($"BoxCover: the distance between nodes {i} and {j} is {v}. Distances must be finite and non-negative (check the features for NaN/Inf).");
            }

        var D = (double[])distances.Clone();
        for (int i = 0; i < n; i++)
            for (int j = i + 1; j < n; j++) D[j * n + i] = D[i * n + j];   // the upper triangle, symmetrised
        return Run(D.AsSpan(), n);
    }

    /// <summary>NN-chain complete linkage on the symmetric matrix D (overwritten).</summary>
    static BoxCoverResult Run(Span<double> D, int n)
    {
        // Cluster-to-cluster complete-linkage key: (distance, pair code i·n + j of the farthest cross pair); codes
        // make every key distinct, so ties resolve as the reference's edge walk in (i, j) order would.
        // C holds a code only once a merge changed it; 0 (the diagonal's code, never a cross pair) means "the pair itself".
        var C = new int[n * n];
        var active = new int[n];                                         // active clusters, kept in ascending order
        for (int i = 0; i < n; i++) active[i] = i;
        int nActive = n;
        var chain = new int[n + 1];
        int top = 0;
        var rawH = new double[n - 1];
        var rawCode = new int[n - 1];
        int m = 0;
        while (nActive > 1)
        {
            if (top == 0) chain[top++] = active[0];
            int a = chain[top - 1];
            int prev = top >= 2 ? chain[top - 2] : -1;
            int best = -1; double bd = double.PositiveInfinity; int bc = int.MaxValue;
            int row = a * n;
            var Da = D.Slice(row, n);
            var Ca = C.AsSpan(row, n);
            for (int t = 0; t < nActive; t++)
            {
                int c = active[t];
                double dv = Da[c];
                if (dv > bd || c == a) continue;
                int cv = Ca[c];
                if (cv == 0) cv = a < c ? row + c : c * n + a;
                if (dv < bd || cv < bc) { bd = dv; bc = cv; best = c; }
            }
            if (best == prev)
            {
                top -= 2;
                rawH[m] = bd; rawCode[m] = bc; m++;
                // merge prev into a: a keeps the larger key towards every other cluster
                int rb = prev * n;
                var Db = D.Slice(rb, n);
                var Cb = C.AsSpan(rb, n);
                for (int t = 0; t < nActive; t++)
                {
                    int c = active[t];
                    if (c == a || c == prev) continue;
                    double db = Db[c], da = Da[c];
                    if (db < da) continue;
                    int cb = Cb[c]; if (cb == 0) cb = prev < c ? rb + c : c * n + prev;
                    int ca = Ca[c]; if (ca == 0) ca = a < c ? row + c : c * n + a;
                    if (db > da || cb > ca)
                    {
                        Da[c] = db; Ca[c] = cb;
                        D[c * n + a] = db; C[c * n + a] = cb;
                    }
                }
                int pos = Array.BinarySearch(active, 0, nActive, prev);
                Array.Copy(active, pos + 1, active, pos, nActive - pos - 1);
                nActive--;
            }
            else chain[top++] = best;
        }

        // Merge order: by key (complete linkage has no inversions, so this is the greedy sequence).
        var order = Enumerable.Range(0, m).ToArray();
        Array.Sort(order, (p, q) => rawH[p] != rawH[q] ? rawH[p].CompareTo(rawH[q]) : rawCode[p].CompareTo(rawCode[q]));
        var sizes = new double[m];
        var merges = new (int, int)[m];
        var tree = new LinkageRow[m];
        var parent = Enumerable.Range(0, n).ToArray();
        var clusterId = Enumerable.Range(0, n).ToArray();
        var count = Enumerable.Repeat(1, n).ToArray();
        int Find(int v) { while (parent[v] != v) { parent[v] = parent[parent[v]]; v = parent[v]; } return v; }
        for (int k = 0; k < m; k++)
        {
            int code = rawCode[order[k]];
            int i = code / n, j = code % n;
            sizes[k] = rawH[order[k]];
            merges[k] = (i, j);
            int ri = Find(i), rj = Find(j);
            int ci = clusterId[ri], cj = clusterId[rj];
            parent[rj] = ri;
            count[ri] += count[rj];
            clusterId[ri] = n + k;
            tree[k] = new LinkageRow(Math.Min(ci, cj), Math.Max(ci, cj), sizes[k], count[ri]);
        }
        return new BoxCoverResult(n, sizes, merges, tree);
    }
}
