#nullable enable
using System;
using System.Collections.Generic;
using System.Linq;

// Box-covering results and box-size conventions of Song, Gallos, Havlin & Makse, J. Stat. Mech. P03006 (2007).

/// <summary>
/// N_B(l_B) from one box-covering method. Conventions (Song et al. 2007): a box of size l_B holds nodes whose mutual
/// distance is &lt; l_B; radius-based methods (MEMB) use l_B = 2·r_B + 1. Box covering runs on the largest connected
/// component; <see cref="Analysed"/> says which nodes were covered.
/// </summary>
public sealed record GraphBoxCoverResult(
    string Method,
    int[] BoxSizes,
    int[] BoxCounts,
    int NodesCovered,
    int GraphNodeCount,
    int ComponentCount,
    string Analysed,
    int Restarts,
    int Seed)
{
    /// <summary>N_B at box size l, or null when l was not computed.</summary>
    public int? CountAt(int l)
    {
        int i = Array.IndexOf(BoxSizes, l);
        return i < 0 ? null : BoxCounts[i];
    }

    /// <summary>Fits d_B on log N_B vs log l_B (see <see cref="GraphBoxDimensionFit.Fit"/>).</summary>
    public GraphBoxDimensionFit FitDimension(int? minSize = null, int? maxSize = null) => GraphBoxDimensionFit.Fit(BoxSizes, BoxCounts, NodesCovered, minSize, maxSize);
}

/// <summary>Box-size lists and common checks shared by the box-covering methods.</summary>
public static class BoxSizes
{
    /// <summary>
    /// Default l_B list: every size 2..10, then 2^k, 2^k + 1 and ⌊1.5·2^k⌋ + 1 (so the (2,v)-flower sizes 2^k + 1 are
    /// present), up to diameter + 1 (where N_B = 1) — or, for diameters of 64 and more, up to diameter/2 + 1: beyond it
    /// only a handful of boxes remain, the d_B fit ignores them, and they cost the most. Pass sizes to go further.
    /// </summary>
    public static int[] Default(int diameter)
    {
        int top = Math.Max(2, diameter >= 64 ? diameter / 2 + 1 : diameter + 1);
        var s = new SortedSet<int>();
        for (int l = 2; l <= Math.Min(10, top); l++) s.Add(l);
        for (long p = 8; p <= top; p *= 2)
        {
            s.Add((int)p);
            if (p + 1 <= top) s.Add((int)p + 1);
            long q = p * 3 / 2 + 1;
            if (q <= top) s.Add((int)q);
        }
        s.Add(top);
        return s.ToArray();
    }

    /// <summary>
    /// Radius-based default: l_B = 2·r_B + 1 for r_B = 1, 2, 4, 8, … until 2·r_B ≥ diameter — or, for diameters of 64
    /// and more, until 4·r_B ≥ diameter (the last sizes hold 1–3 boxes, are not fitted, and cost a BFS over the whole
    /// graph from every node). Pass sizes to go further.
    /// </summary>
    public static int[] Radial(int diameter)
    {
        var s = new List<int>();
        int stop = diameter >= 64 ? (diameter + 3) / 4 : (diameter + 1) / 2;
        for (int r = 1; ; r *= 2)
        {
            s.Add(2 * r + 1);
            if (r >= stop) break;
        }
        return s.ToArray();
    }

    internal static int[] Check(int[]? sizes, CsrGraph g, out int diameter)
    {
        diameter = GraphBfs.DiameterLowerBound(g);
        var l = sizes ?? Default(diameter);
        if (l.Length == 0) throw new SelfSimException("No box sizes given: pass at least one l_B ≥ 2 (or null for the default list).");
        if (l.Any(x => x < 2)) throw new SelfSimException($"Box size {l.First(x => x < 2)} is below 2: boxes hold nodes at distance < l_B, so l_B must be ≥ 2.");
        return l.Distinct().OrderBy(x => x).ToArray();
    }
}
