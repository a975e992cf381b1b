#nullable enable
using System;
using System.Collections.Generic;

// (u,v)-flowers: Rozenfeld, Havlin & ben-Avraham, New J. Phys. 9, 175 (2007).

/// <summary>
/// The (u,v)-flower of generation n: generation 0 is one link between two hubs (nodes 0 and 1); each later generation
/// replaces every link by two parallel paths of u and v links. With w = u + v it has w^n edges and
/// ((w-2)·w^n + w)/(w-1) nodes. For 2 ≤ u ≤ v it is fractal with d_B = ln(u+v)/ln(u); for u = 1 it is small-world.
/// Nodes of generation k keep their ids in later generations, so ids below <see cref="NodeCountAt"/>(k) are the generation-k nodes.
/// </summary>
public static class FlowerGraph
{
    public static CsrGraph Create(int u, int v, int generation)
    {
        if (u < 1 || v < u) throw new SelfSimException($"A (u,v)-flower needs 1 ≤ u ≤ v; got ({u},{v}).");
        if (u + v < 3) throw new SelfSimException("A (1,1)-flower is a double edge, not a flower: choose u + v ≥ 3.");
        if (generation < 0) throw new SelfSimException($"Flower generation {generation} must be ≥ 0.");
        long nodes = NodeCountAt(u, v, generation);
        if (nodes > 50_000_000) throw new SelfSimException($"The ({u},{v})-flower of generation {generation} has {nodes:N0} nodes: choose a smaller generation.");
        CsrGraph.CheckSize(nodes, Math.Pow(u + v, generation), $"flower:{u},{v},{generation}", "Choose a smaller generation.");
        var a = new List<int> { 0 }; var b = new List<int> { 1 };
        int next = 2;
        for (int g = 0; g < generation; g++)
        {
            var na = new List<int>(a.Count * (u + v)); var nb = new List<int>(a.Count * (u + v));
            for (int e = 0; e < a.Count; e++)
            {
                AddPath(a[e], b[e], u); AddPath(a[e], b[e], v);
            }
            a = na; b = nb;

            void AddPath(int from, int to, int len)
            {
                int prev = from;
                for (int s = 1; s < len; s++) { na.Add(prev); nb.Add(next); prev = next++; }
                na.Add(prev); nb.Add(to);
            }
        }
        return CsrGraph.FromEdges(next, a.ToArray(), b.ToArray());
    }

    /// <summary>Node count N_n = ((w-2)·w^n + w)/(w-1), w = u + v.</summary>
    public static long NodeCountAt(int u, int v, int generation)
    {
        long w = u + v, p = 1;
        for (int i = 0; i < generation; i++)
        {
            if (p > long.MaxValue / (w * w)) return long.MaxValue;   // (saturates: generation 40 no longer wraps negative)
            p *= w;
        }
        return ((w - 2) * p + w) / (w - 1);
    }

    /// <summary>
    /// The optimal box covering of the generation-n flower (Rozenfeld et al. 2007; closed form as in Akiba, Nakamura &amp;
    /// Takaguchi, J. Stat. Mech. 2016 073403): boxes of diameter d_k hold the N_{n-k} generation-(n−k) units, with
    /// d_1 = ⌊(u+v)/2⌋ and d_{k+1} = u·d_k + (v − u). Returned as (l_B, N_B) with Song's l_B = d_k + 1 (distances &lt; l_B),
    /// for k = 1..n. These are the reference counts of covers by generation units (Akiba et al. call them optimal); MEMB
    /// attains them on (2,2)-flowers. Compact-box methods (GC, CBB) may use fewer, since a set of diameter &lt; l_B need
    /// not be a unit. For u &lt; v the sizes are too small: integer programming (tools/checks/flower_min_cover_ilp.py) finds
    /// that the (2,3)-flower of generation 3 needs l_B = 7, not 6, for 5 boxes and 13, not 12, for 2.
    /// </summary>
    public static (int BoxSize, long Boxes)[] OptimalBoxCounts(int u, int v, int generation)
    {
        if (u < 1 || v < u) throw new SelfSimException($"A (u,v)-flower needs 1 ≤ u ≤ v; got ({u},{v}).");
        var r = new (int, long)[generation];
        long d = (u + v) / 2;
        for (int k = 1; k <= generation; k++)
        {
            r[k - 1] = ((int)d + 1, NodeCountAt(u, v, generation - k));
            d = u * d + (v - u);
        }
        return r;
    }

    /// <summary>The theoretical box dimension ln(u+v)/ln(u) (infinite for u = 1: not fractal).</summary>
    public static double BoxDimension(int u, int v) => u == 1 ? double.PositiveInfinity : Math.Log(u + v) / Math.Log(u);
}
