#nullable enable
using System;
using System.Globalization;

// Generator specs such as "flower:2,2,6": the one parser behind `selfsim graph --generator` and scripts that name a
// graph in text. Each generator cites its own source in its file.

/// <summary>Builds a graph from a text spec: flower:U,V,GEN | lattice:W,H | torus:W,H | ba:N,M | er:N,P | hierarchical:LEVELS.</summary>
public static class GraphGeneratorSpec
{
    /// <summary>The accepted forms, for help texts and error messages.</summary>
    public const string Forms = "flower:U,V,GEN | lattice:W,H | torus:W,H | ba:N,M | er:N,P | hierarchical:LEVELS";

    /// <summary>The graph <paramref name="spec"/> names; <paramref name="seed"/> drives the random ones (ba, er).
    /// <paramref name="maxNodes"/>: refuse, before anything is allocated, a flower, lattice or torus with more nodes
    /// than this (box covering's limit; ba and er check their memory before they allocate).</summary>
    public static CsrGraph Build(string spec, int seed = 0, long? maxNodes = null)
    {
        if (string.IsNullOrWhiteSpace(spec)) throw new SelfSimException($"The generator spec is empty: use {Forms}, e.g. flower:2,2,6.");
        var parts = spec.Split(':', 2);
        string kind = parts[0].Trim().ToLowerInvariant();
        var args = parts.Length > 1 ? parts[1].Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries) : Array.Empty<string>();
        int I(int i) => i < args.Length && int.TryParse(args[i], NumberStyles.Integer, CultureInfo.InvariantCulture, out var v) ? v
            : throw new SelfSimException($"Generator '{spec}': argument {i + 1} must be an integer. Forms: {Forms}.");
        double D(int i) => i < args.Length && double.TryParse(args[i], NumberStyles.Float, CultureInfo.InvariantCulture, out var v) ? v
            : throw new SelfSimException($"Generator '{spec}': argument {i + 1} must be a number. Forms: er:N,P.");
        void Count(int k) { if (args.Length != k) throw new SelfSimException($"Generator '{spec}' needs {k} comma-separated arguments; got {args.Length}."); }
        void Fits(long nodes) { if (maxNodes is long m && nodes > m) BoxSizes.CheckNodes(nodes, $"Generator '{spec}'", "Choose a smaller size."); }
        if (maxNodes is not null && kind is "flower" or "lattice" or "torus")
            Fits(kind == "flower" ? FlowerGraph.NodeCountAt(Math.Max(1, I(0)), Math.Max(1, I(1)), Math.Max(0, I(2))) : (long)I(0) * I(1));
        switch (kind)
        {
            case "flower": Count(3); return FlowerGraph.Create(I(0), I(1), I(2));
            case "lattice": Count(2); return LatticeGraph.Create(I(0), I(1));
            case "torus": Count(2); return LatticeGraph.Create(I(0), I(1), periodic: true);
            case "ba": Count(2); return BarabasiAlbertGraph.Create(I(0), I(1), seed);
            case "er": Count(2); return ErdosRenyiGraph.Create(I(0), D(1), seed);
            case "hierarchical": Count(1); return HierarchicalModelGraph.Create(I(0));
            default: throw new SelfSimException($"Unknown generator '{kind}': use {Forms.Replace(" | ", ", ")}.");
        }
    }
}
