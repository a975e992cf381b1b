#nullable enable
using System;
using System.Collections.Generic;
using System.Linq;

// Box dimension from N_B(l_B) ~ l_B^(-d_B): Song, Havlin & Makse, Nature 433, 392 (2005); range choice after Song et al. J. Stat. Mech. P03006 (2007).

/// <summary>Fits a graph's box-covering curve (l_B, N_B) into a <see cref="GraphBoxDimensionFit"/>.</summary>
public static class GraphBoxDimensionFitter
{
    /// <summary>
    /// Fits over [minSize, maxSize], on the monotone envelope of the counts and only the first l_B of each of its
    /// steps (a dense list of sizes otherwise over-weights the flat steps of a staircase). Automatic bounds (when null): the lower end is the smallest l_B ≥ 3 whose boxes hold
    /// on average ≥ 8 nodes (N_B ≤ nodes/8) — small boxes see local structure and bend the curve (on the (2,3)-flower a
    /// slope over l_B = 2..5 gives 1.74 instead of 2.32); the upper end is the largest l_B with N_B ≥ 4 — the last few
    /// boxes are finite-size effects. When that leaves fewer than 3 points (small-world graphs have few box sizes), the
    /// range widens to every l_B ≥ 2 with N_B ≥ 2, and <see cref="Range"/> says so. Fewer than 3 points even then throws.
    /// </summary>
    public static GraphBoxDimensionFit Fit(int[] sizes, int[] counts, int nodes, int? minSize = null, int? maxSize = null)
    {
        if (sizes.Length != counts.Length) throw new ArgumentException("sizes and counts differ in length");
        if (sizes.Zip(sizes.Skip(1)).Any(p => p.First >= p.Second)) throw new SelfSimException("Box sizes must be strictly ascending for the d_B fit.");
        // The monotone envelope, and of each step of it only its first (smallest) l_B: a staircase curve, as a
        // deterministic fractal gives, then weighs each step once however densely the sizes sample it.
        counts = (int[])counts.Clone();
        for (int i = 1; i < counts.Length; i++) counts[i] = Math.Min(counts[i], counts[i - 1]);
        var all = Enumerable.Range(0, sizes.Length).Where(i => counts[i] > 0 && (i == 0 || counts[i] < counts[i - 1])).ToArray();
        int lo = minSize ?? all.Where(i => sizes[i] >= 3 && counts[i] * 8L <= nodes).Select(i => sizes[i]).DefaultIfEmpty(3).Min();
        int hi = maxSize ?? all.Where(i => counts[i] >= 4).Select(i => sizes[i]).DefaultIfEmpty(lo).Max();
        var idx = all.Where(i => sizes[i] >= lo && sizes[i] <= hi).ToArray();
        string range = $"l_B in [{lo}, {hi}]" + (minSize == null || maxSize == null ? " (auto: N_B ≤ nodes/8 and N_B ≥ 4)" : "");
        if (idx.Length < 3 && (minSize == null || maxSize == null))
        {
            idx = all.Where(i => sizes[i] >= (minSize ?? 2) && sizes[i] <= (maxSize ?? int.MaxValue) && counts[i] >= 2).ToArray();
            if (idx.Length > 0) range = $"l_B in [{sizes[idx[0]]}, {sizes[idx[^1]]}] (auto range widened to every N_B ≥ 2: too few box sizes)";
        }
        if (idx.Length < 3)
            throw new SelfSimException($"The box-dimension fit has {idx.Length} points in {range}: widen the range, or compute more box sizes (a larger graph has more).");
        var x = idx.Select(i => Math.Log(sizes[i])).ToArray();
        var y = idx.Select(i => Math.Log(counts[i])).ToArray();
        var lin = LeastSquares.Line(x, y, requireSpread: true);
        var (c2, c2se) = Quadratic(x, y);
        // Power law vs exponential: over the fitted points, or, when fewer than MinPointsForVerdict were fitted (a
        // small-world graph has few box sizes before N_B collapses), over the sizes nearest 2^k + 1 (3, 5, 9, 17, …:
        // evenly spaced in ln(l_B − 1), so neither model is favoured by where the sizes fall) with N_B ≥ 4 (or ≥ 2
        // when that leaves fewer than 3), the l_B doubling of Song et al. (2007)'s radius-based sizes.
        var cmp = idx;
        if (idx.Length < GraphBoxDimensionFit.MinPointsForVerdict && (minSize == null || maxSize == null))
        {
            foreach (int floor in new[] { 4, 2 })
            {
                var pick = new List<int>();
                for (long target = 3; target <= sizes[^1]; target = 2 * target - 1)
                {
                    int i = Array.FindIndex(sizes, l => l >= target);
                    if (i >= 0 && counts[i] >= floor && !pick.Contains(i)) pick.Add(i);
                }
                if (pick.Count >= 3)
                {
                    cmp = pick.ToArray();
                    range += $"; power law vs exponential compared at l_B = {string.Join(", ", cmp.Select(i => sizes[i]))} (N_B ≥ {floor})";
                    break;
                }
            }
        }
        var ly = cmp.Select(i => Math.Log(counts[i])).ToArray();
        var pow = cmp == idx ? lin : LeastSquares.Line(cmp.Select(i => Math.Log(sizes[i])).ToArray(), ly, requireSpread: true);
        var exp = LeastSquares.Line(cmp.Select(i => (double)sizes[i]).ToArray(), ly, requireSpread: true);
        return new GraphBoxDimensionFit(lin.NegativeSlopeInterval(0.95), lin.Intercept, sizes[idx[0]], sizes[idx[^1]], idx.Length,
            lin.RSquared, pow.ResidualRms, c2, c2se, exp.ResidualRms, range);
    }

    // y = c0 + c1 x + c2 x²: returns c2 and its standard error (NaN with fewer than 4 points).
    static (double, double) Quadratic(double[] x, double[] y)
    {
        int n = x.Length;
        if (n < 4) return (double.NaN, double.NaN);
        var m = new double[3, 3]; var r = new double[3];
        for (int i = 0; i < n; i++)
        {
            double[] f = { 1, x[i], x[i] * x[i] };
            for (int a = 0; a < 3; a++) { r[a] += f[a] * y[i]; for (int b = 0; b < 3; b++) m[a, b] += f[a] * f[b]; }
        }
        var inv = Invert3(m);
        if (inv == null) return (double.NaN, double.NaN);
        var c = new double[3];
        for (int a = 0; a < 3; a++) for (int b = 0; b < 3; b++) c[a] += inv[a, b] * r[b];
        double sse = 0;
        for (int i = 0; i < n; i++) { double e = y[i] - c[0] - c[1] * x[i] - c[2] * x[i] * x[i]; sse += e * e; }
        double s2 = sse / (n - 3);
        return (c[2], Math.Sqrt(Math.Max(0, s2 * inv[2, 2])));
    }

    static double[,]? Invert3(double[,] m)
    {
        double det = m[0, 0] * (m[1, 1] * m[2, 2] - m[1, 2] * m[2, 1]) - m[0, 1] * (m[1, 0] * m[2, 2] - m[1, 2] * m[2, 0]) + m[0, 2] * (m[1, 0] * m[2, 1] - m[1, 1] * m[2, 0]);
        if (Math.Abs(det) < 1e-300) return null;
        var r = new double[3, 3];
        for (int i = 0; i < 3; i++)
            for (int j = 0; j < 3; j++)
            {
                int i1 = (j + 1) % 3, i2 = (j + 2) % 3, j1 = (i + 1) % 3, j2 = (i + 2) % 3;
                r[i, j] = (m[i1, j1] * m[i2, j2] - m[i1, j2] * m[i2, j1]) / det;
            }
        return r;
    }
}
