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

    /// <summary>The monotone envelope of <see cref="BoxCounts"/>: at each l_B the fewest boxes found at any size ≤ l_B
    /// (a cover valid at one size is valid at every larger one). The d_B fit uses it.</summary>
    public int[] EnvelopeCounts
    {
        get
        {
            var e = (int[])BoxCounts.Clone();
            for (int i = 1; i < e.Length; i++) e[i] = Math.Min(e[i], e[i - 1]);
            return e;
        }
    }

    /// <summary>Fits d_B on log N_B vs log l_B (see <see cref="GraphBoxDimensionFit.Fit"/>).</summary>
    public GraphBoxDimensionFit FitDimension(int? minSize = null, int? maxSize = null) => GraphBoxDimensionFit.Fit(BoxSizes, BoxCounts, NodesCovered, minSize, maxSize);
}

/// <summary>Box-size lists and common checks shared by the box-covering methods.</summary>
public static class BoxSizes
{
    /// <summary>The most nodes a box covering takes: GC holds ~1.1 KB per node (64 BFS scratches, a colour per size)
    /// and its time grows with n × ball size, so 11 million nodes (flower:2,2,12) ran past 10 GB.</summary>
    public const long MaxNodes = 2_000_000;

    /// <summary>Refuses a graph of <paramref name="nodes"/> nodes before it is built or covered.</summary>
    public static void CheckNodes(long nodes, string what, string lower)
    {
        if (nodes > MaxNodes)
            throw new SelfSimException($"{what} has {nodes:N0} nodes; box covering takes at most {MaxNodes:N0} (about 1.1 KB of memory per node, " +
                                       $"and hours beyond). {lower}");
    }

    /// <summary>
    /// Default l_B list, dense so that staircase curves (deterministic fractals such as (u,v)-flowers) are sampled
    /// at every step: every size 2..24, then sizes growing by about 12% (…, 27, 30, 34, 38, …), up to diameter + 1
    /// (where N_B = 1) — or, for diameters of 64 and more, up to diameter/2 + 1: beyond it only a handful of boxes
    /// remain and they cost the most. Pass sizes to go further.
    /// </summary>
    public static int[] Default(int diameter)
    {
        int top = Math.Max(2, diameter >= 64 ? diameter / 2 + 1 : diameter + 1);
        var s = new SortedSet<int>();
        for (int l = 2; l <= Math.Min(DenseUpTo, top); l++) s.Add(l);
        for (double l = DenseUpTo * Growth; l < top; l *= Growth) s.Add((int)Math.Round(l));
        s.Add(top);
        return s.ToArray();
    }

    /// <summary>Every box size up to this one is computed by default.</summary>
    public const int DenseUpTo = 24;
    /// <summary>Beyond <see cref="DenseUpTo"/>, default box sizes grow by this factor.</summary>
    public const double Growth = 1.12;

    /// <summary>
    /// Radius-based default (MEMB): the odd sizes l_B = 2·r_B + 1 of <see cref="Default"/> (an even size becomes the
    /// next odd one), from 3 up to diameter + 1 — or, for diameters of 64 and more, up to diameter/2 + 1.
    /// </summary>
    public static int[] Radial(int diameter) =>
        Default(diameter).Select(l => l % 2 == 1 ? l : l + 1).Where(l => l >= 3).Distinct().OrderBy(l => l).ToArray();

    internal static int[] Check(int[]? sizes, CsrGraph g, out int diameter)
    {
        diameter = GraphBfs.DiameterLowerBound(g);
        var l = sizes ?? Default(diameter);
        if (l.Length == 0) throw new SelfSimException("No box sizes given: pass at least one l_B ≥ 2 (or null for the default list).");
        if (l.Any(x => x < 2)) throw new SelfSimException($"Box size {l.First(x => x < 2)} is below 2: boxes hold nodes at distance < l_B, so l_B must be ≥ 2.");
        return l.Distinct().OrderBy(x => x).ToArray();
    }
}
