#nullable enable
using System;
using System.Collections.Generic;
using System.Linq;
using System.Text.Json.Nodes;

// Where a graph comes from: a generator spec (GraphGeneratorSpec), an edge-list file (EdgeListFile), or the threshold
// or k-nearest-neighbour graph of a feature file (NodeMatrix; the rules of FeatureGraphs). The one place the rules live:
// `selfsim graph boxcover` and `selfsim graph degrees` parse options into a GraphSource and print what Load returns.

/// <summary>Where the graph comes from: exactly one of Generator, Edges and Features; with Features, exactly one of
/// ThresholdFraction, Threshold and Knn.</summary>
public sealed record GraphSource(string? Generator = null, string? Edges = null, string? Features = null, double? ThresholdFraction = null,
    double? Threshold = null, int? Knn = null, bool Mutual = false, bool SamplesInRows = false, int Seed = 0,
    CsvHeaderMode Header = CsvHeaderMode.Auto)
{
    /// <summary>Builds the graph this source names; the messages name the `selfsim graph` options.</summary>
    /// <param name="maxNodes">Refuse, before anything is allocated, a generated graph with more nodes than this (box
    /// covering's limit).</param>
    public LoadedGraph Load(long? maxNodes = null)
    {
        var s = this;
        int given = (s.Generator != null ? 1 : 0) + (s.Edges != null ? 1 : 0) + (s.Features != null ? 1 : 0);
        if (given != 1)
            throw new SelfSimException("Give exactly one graph: --generator flower:2,2,6 (or lattice/torus/ba/er/hierarchical), --edges FILE, " +
                                       "or --features F.npy with --threshold-fraction 0.05, --threshold L or --knn K.");
        if (s.Features == null && (s.ThresholdFraction ?? s.Threshold ?? s.Knn) != null)
            throw new SelfSimException("--threshold-fraction, --threshold and --knn build a graph from --features; pass --features F.npy too.");
        if (s.Generator != null) return new LoadedGraph(GraphGeneratorSpec.Build(s.Generator, s.Seed, maxNodes), s.Generator, null, Array.Empty<string>());
        if (s.Edges != null) return new LoadedGraph(EdgeListFile.Read(s.Edges, header: s.Header).Graph, s.Edges, null, Array.Empty<string>());
        int rules = (s.ThresholdFraction != null ? 1 : 0) + (s.Threshold != null ? 1 : 0) + (s.Knn != null ? 1 : 0);
        if (rules != 1)
            throw new SelfSimException("With --features, give exactly one rule for the edges: --threshold-fraction F (the closest F of all pairs, e.g. 0.05), " +
                                       "--threshold L (pairs at distance < L) or --knn K (each node's K nearest).");
        using var m = NodeMatrix.Load(s.Features!, s.SamplesInRows, s.Header);
        CsrGraph g;
        var info = new JsonObject { ["file"] = s.Features, ["nodes"] = m.Nodes, ["samples"] = m.Samples, ["precision"] = m.Precision, ["zeroRows"] = m.ZeroRows, ["samplesInRows"] = s.SamplesInRows };
        string rule;
        var warnings = m.Warnings.ToList();
        if (s.ThresholdFraction is double f)
        {
            var (graph, l) = m.ThresholdGraphAtPairFraction(f);
            g = graph; rule = $"threshold at the {f:G3} pair fraction (distance < {l:G6})";
            info["rule"] = "threshold-fraction"; info["pairFraction"] = f; info["scale"] = l;
            // Tied distances (dead units: rows of zeros, all at distance 0) all fall below one scale: say so.
            double pairs = m.Nodes * (m.Nodes - 1.0) / 2, got = g.EdgeCount / pairs;
            info["edgeFraction"] = got;
            if (got > 1.5 * f + 1 / pairs)
                warnings.Add($"--threshold-fraction {f:G3} asked for {f:P1} of the pairs as edges, but {got:P1} are: {g.EdgeCount:N0} pairs lie " +
                             $"at or below distance {l:G3} (tied distances{(m.ZeroRows > 1 ? $"; {m.ZeroRows} rows are all zero, dead units" : "")}). " +
                             "Drop the tied rows, or use --knn K.");
        }
        else if (s.Threshold is double l)
        {
            g = m.ThresholdGraph(l); rule = $"threshold (distance < {l:G6})";
            info["rule"] = "threshold"; info["scale"] = l;
        }
        else
        {
            g = m.KNearestGraph(s.Knn!.Value, s.Mutual); rule = $"{(s.Mutual ? "mutual " : "")}{s.Knn}-nearest neighbours";
            info["rule"] = s.Mutual ? "mutual-knn" : "knn"; info["k"] = s.Knn;
        }
        info["description"] = rule;
        return new LoadedGraph(g, $"{s.Features} ({rule})", info, warnings.ToArray());
    }
}

/// <summary>A graph built from a <see cref="GraphSource"/>, with what the user should know about it: its source in words,
/// the feature file's details (null for generated and edge-list graphs) and the node matrix's warnings.</summary>
public sealed record LoadedGraph(CsrGraph Graph, string Source, JsonObject? Features, IReadOnlyList<string> Warnings);
