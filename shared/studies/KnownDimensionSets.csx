#nullable enable
using System;
using System.Linq;
using TorchSharp;
using static TorchSharp.torch;

// Point sets of known dimension to validate box-dimension estimators: uniform points on a segment (1), in a square (2), in
// a cube (3), and the Sierpinski triangle by the chaos game (ln 3/ln 2 ≈ 1.585; Barnsley, Fractals Everywhere, 1988).

/// <summary>A seeded point cloud (rows are points) with its known box-counting dimension.</summary>
public sealed record KnownDimensionSet(string Name, double Dimension, int Count, int Coordinates, float[] Data)
{
    /// <summary>The points as a [Count, Coordinates] float32 tensor: rows are the nodes of a box cover.</summary>
    public Tensor ToTensor() => tensor(Data, new long[] { Count, Coordinates });
    public override string ToString() => $"{Name}: {Count} points in {Coordinates}-D, dimension {Dimension:F3}";
}

/// <summary>Generators of point sets with known dimension.</summary>
public static class KnownDimensionSets
{
    /// <summary>Uniform points on the unit segment, embedded in the plane (y = 0): dimension 1.</summary>
    public static KnownDimensionSet Line(int count, int seed = 0) => Make("line", 1, count, 2, seed, (r, p) => { p[0] = r.NextDouble(); p[1] = 0; });

    /// <summary>Uniform points in the unit square: dimension 2.</summary>
    public static KnownDimensionSet Square(int count, int seed = 0) => Make("square", 2, count, 2, seed, (r, p) => { p[0] = r.NextDouble(); p[1] = r.NextDouble(); });

    /// <summary>Uniform points in the unit cube: dimension 3.</summary>
    public static KnownDimensionSet Cube(int count, int seed = 0) => Make("cube", 3, count, 3, seed, (r, p) => { p[0] = r.NextDouble(); p[1] = r.NextDouble(); p[2] = r.NextDouble(); });

    /// <summary>The Sierpinski triangle by the chaos game (20 burn-in steps): dimension ln 3 / ln 2.</summary>
    public static KnownDimensionSet SierpinskiTriangle(int count, int seed = 0)
    {
        if (count < 4) throw new SelfSimException($"A point set needs at least 4 points; got {count}.");
        var corners = new[] { (0.0, 0.0), (1.0, 0.0), (0.5, Math.Sqrt(3) / 2) };
        var rng = new Random(seed);
        double x = rng.NextDouble(), y = rng.NextDouble();
        for (int i = 0; i < 20; i++) { var c = corners[rng.Next(3)]; x = (x + c.Item1) / 2; y = (y + c.Item2) / 2; }
        var data = new float[count * 2];
        for (int i = 0; i < count; i++)
        {
            var c = corners[rng.Next(3)]; x = (x + c.Item1) / 2; y = (y + c.Item2) / 2;
            data[2 * i] = (float)x; data[2 * i + 1] = (float)y;
        }
        return new KnownDimensionSet("Sierpinski triangle", Math.Log(3) / Math.Log(2), count, 2, data);
    }

    static KnownDimensionSet Make(string name, double dim, int count, int coords, int seed, Action<Random, double[]> draw)
    {
        if (count < 4) throw new SelfSimException($"A point set needs at least 4 points; got {count}.");
        var rng = new Random(seed);
        var p = new double[coords];
        var data = new float[count * coords];
        for (int i = 0; i < count; i++) { draw(rng, p); for (int k = 0; k < coords; k++) data[i * coords + k] = (float)p[k]; }
        return new KnownDimensionSet(name, dim, count, coords, data);
    }
}
