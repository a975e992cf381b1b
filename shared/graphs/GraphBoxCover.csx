#nullable enable
using System;

// The graph box-covering methods of Song, Gallos, Havlin & Makse, J. Stat. Mech. P03006 (2007), chosen by name: the one
// switch the CLI (`selfsim graph boxcover --method`) and the benchmarks share.

/// <summary>Runs a box-covering method named by <see cref="Methods"/>: "gc" (greedy colouring, then tabu recolouring),
/// "memb" or "cbb".</summary>
public static class GraphBoxCover
{
    /// <summary>The method names, default first.</summary>
    public static readonly string[] Methods = { "gc", "memb", "cbb" };

    /// <summary>The default method: GC with its tabu step brings d_B within 10% on every flower of docs/cli-json.md's table.</summary>
    public const string DefaultMethod = "gc";

    /// <summary>
    /// Box-covers <paramref name="graph"/> by <paramref name="method"/> (case-insensitive) at <paramref name="boxSizes"/>
    /// (null: each method's default). <paramref name="restarts"/> applies to GC and CBB (the fewest boxes are kept),
    /// <paramref name="tabuIterations"/> to GC only (null: <see cref="GreedyColoringBoxCover.TabuIterationsFor"/>).
    /// </summary>
    public static GraphBoxCoverResult Run(string method, CsrGraph graph, int[]? boxSizes = null, int restarts = 4, int seed = 0,
        Action<double>? progress = null, int? tabuIterations = null) => Normalise(method) switch
        {
            "gc" => GreedyColoringBoxCover.Run(graph, boxSizes, restarts, seed, progress, tabuIterations),
            "memb" => MembBoxCover.Run(graph, boxSizes, seed, progress),
            _ => CbbBoxCover.Run(graph, boxSizes, restarts, seed, progress),
        };

    /// <summary>The method name in lower case; an unknown name throws with the known ones.</summary>
    public static string Normalise(string method)
    {
        string m = (method ?? "").Trim().ToLowerInvariant();
        if (Array.IndexOf(Methods, m) < 0)
            throw new SelfSimException($"Unknown box-covering method '{method}': use {string.Join(", ", Methods)}.");
        return m;
    }
}
