#nullable enable
using System;
using System.Collections.Generic;

// Square lattice (networkx grid_2d_graph): the Euclidean control with box dimension 2.

/// <summary>W×H square lattice with 4-neighbour links; node (x, y) has id y·W + x. Open boundaries, or a torus with <c>periodic</c> (no edge effects on box counts; needs W, H ≥ 3).</summary>
public static class LatticeGraph
{
    public static CsrGraph Create(int width, int height, bool periodic = false)
    {
        if (width < 1 || height < 1) throw new SelfSimException($"A lattice needs width and height ≥ 1; got {width}×{height}.");
        if ((long)width * height > 50_000_000) throw new SelfSimException($"A {width}×{height} lattice is too large: keep W·H ≤ 5e7.");
        CsrGraph.CheckSize((long)width * height, 2.0 * width * height, $"lattice {width}×{height}", "Choose a smaller W or H.");
        var a = new List<int>(); var b = new List<int>();
        for (int y = 0; y < height; y++)
            for (int x = 0; x < width; x++)
            {
                int id = y * width + x;
                if (x + 1 < width) { a.Add(id); b.Add(id + 1); }
                else if (periodic && width >= 3) { a.Add(id); b.Add(y * width); }
                if (y + 1 < height) { a.Add(id); b.Add(id + width); }
                else if (periodic && height >= 3) { a.Add(id); b.Add(x); }
            }
        return CsrGraph.FromEdges(width * height, a.ToArray(), b.ToArray());
    }
}
