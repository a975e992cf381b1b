using System;
using System.Collections.Generic;
using System.CommandLine;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace SelfSim.Cli;

/// <summary>
/// `selfsim graph boxcover`: N_B(l_B) by GC, MEMB or CBB (Song et al. 2007) on a generated graph, an edge list or a
/// feature graph (threshold or k-nearest-neighbour graph of a feature file), and the fitted box dimension with its 95%
/// interval. Box covering runs on the largest connected component and says so.
/// `selfsim graph degrees`: the degree sequence of the same graphs and its Clauset power-law fit.
/// </summary>
public sealed class GraphCommand : ICliCommand
{
    /// <summary>Where the graph comes from: exactly one of Generator, Edges and Features; with Features, exactly one of
    /// ThresholdFraction, Threshold and Knn.</summary>
    public sealed record GraphSource(string? Generator = null, string? Edges = null, string? Features = null, double? ThresholdFraction = null,
        double? Threshold = null, int? Knn = null, bool Mutual = false, bool SamplesInRows = false, int Seed = 0, CsvHeaderMode Header = CsvHeaderMode.Auto);

    public sealed record BoxCoverArgs(string? Generator, string? Edges, string Method = "gc", int Seed = 0, int Restarts = 4, string? Sizes = null, int? FitMin = null, int? FitMax = null, bool Json = false,
        string? Features = null, double? ThresholdFraction = null, double? Threshold = null, int? Knn = null, bool Mutual = false, bool SamplesInRows = false,
        bool Progress = false, int? Tabu = null, CsvHeaderMode Header = CsvHeaderMode.Auto)
    {
        public GraphSource Source => new(Generator, Edges, Features, ThresholdFraction, Threshold, Knn, Mutual, SamplesInRows, Seed, Header);
    }

    public sealed record DegreesArgs(GraphSource Source, int Bootstrap = 0, int Seed = 0, int MinTail = PowerLawFitter.DefaultMinTail, bool Json = false);

    /// <summary>A graph built from a <see cref="GraphSource"/>, with what the user should know about it.</summary>
    public sealed record LoadedGraph(CsrGraph Graph, string Source, JsonObject? Features, IReadOnlyList<string> Warnings);

    public Command Create()
    {
        var generator = new Option<string?>("--generator") { Description = "flower:U,V,GEN | lattice:W,H | torus:W,H | ba:N,M | er:N,P | hierarchical:LEVELS" };
        var edges = new Option<string?>("--edges") { Description = "edge-list file: one 'u v' pair per line ('#' comments; self-loops dropped, duplicates merged, both reported)" };
        var features = new Option<string?>("--features") { Description = "feature file (.npy float32/float64 or .csv; rows are nodes unless --samples-in-rows): build its threshold or kNN graph; every node is kept, isolated ones too" };
        var fraction = new Option<double?>("--threshold-fraction") { Description = "with --features: join the closest pairs, this fraction of all pairs (e.g. 0.05)" };
        var threshold = new Option<double?>("--threshold") { Description = "with --features: join pairs at distance < this (Euclidean over sqrt(samples))" };
        var knn = new Option<int?>("--knn") { Description = "with --features: join each node to its k nearest nodes" };
        var mutual = new Option<bool>("--mutual") { Description = "with --knn: only mutual nearest neighbours" };
        var samplesInRows = new Option<bool>("--samples-in-rows") { Description = "the feature file is [samples, neurons], as a PyTorch hook gives: transpose it" };
        var seed = new Option<int>("--seed") { Description = "random seed (GC order, CBB picks, MEMB ties, generators, bootstrap)", DefaultValueFactory = _ => 0 };
        var json = new Option<bool>("--json") { Description = "print JSON (fields: docs/cli-json.md)" };
        var header = CliInputs.HeaderOption();
        Option[] sourceOptions = { generator, edges, features, fraction, threshold, knn, mutual, samplesInRows, seed, json, header };
        GraphSource Source(ParseResult p) => new(p.GetValue(generator), p.GetValue(edges), p.GetValue(features), p.GetValue(fraction), p.GetValue(threshold),
            p.GetValue(knn), p.GetValue(mutual), p.GetValue(samplesInRows), p.GetValue(seed), CsvHeader.Parse(p.GetValue(header)));

        var method = new Option<string>("--method") { Description = "gc (default: greedy colouring + tabu search, the most accurate d_B on flowers of known dimension), memb or cbb", DefaultValueFactory = _ => new BoxCoverArgs(null, null).Method };
        var restarts = new Option<int>("--restarts") { Description = "random restarts for gc and cbb (the minimum N_B is kept)", DefaultValueFactory = _ => 4 };
        var sizes = new Option<string?>("--sizes") { Description = $"comma-separated box sizes l_B (default: every l_B 2..{BoxSizes.DenseUpTo}, then steps of {BoxSizes.Growth - 1:P0}, up to the diameter; MEMB uses odd sizes only)" };
        var fitMin = new Option<int?>("--fit-min") { Description = "smallest l_B in the d_B fit (default: automatic)" };
        var fitMax = new Option<int?>("--fit-max") { Description = "largest l_B in the d_B fit (default: automatic)" };
        var tabu = new Option<int?>("--tabu") { Description = $"gc only: tabu-search recolouring steps per attempted box count (0 = greedy only; default {TabuBoxCover.DefaultIterations} on components up to {TabuBoxCover.DefaultMaxNodes:N0} nodes, else 0)" };
        var progress = CliProgress.CreateOption();
        var box = new Command("boxcover", "Box-covering N_B(l_B) and the fitted box dimension d_B (Song, Gallos, Havlin & Makse 2007).") { method, restarts, sizes, fitMin, fitMax, tabu, progress };
        foreach (var o in sourceOptions) box.Options.Add(o);
        box.SetAction(parse =>
        {
            var src = Source(parse);
            return BoxCover(new BoxCoverArgs(src.Generator, src.Edges, parse.GetValue(method)!, src.Seed, parse.GetValue(restarts), parse.GetValue(sizes),
                parse.GetValue(fitMin), parse.GetValue(fitMax), parse.GetValue(json), src.Features, src.ThresholdFraction, src.Threshold, src.Knn, src.Mutual,
                src.SamplesInRows, parse.GetValue(progress), parse.GetValue(tabu), src.Header), Console.Out);
        });

        var bootstrap = new Option<int>("--bootstrap") { Description = "bootstrap replicates for the goodness-of-fit p (0 = skip; CSN use 2500)", DefaultValueFactory = _ => 0 };
        var minTail = new Option<int>("--min-tail") { Description = "smallest tail an xmin may leave", DefaultValueFactory = _ => PowerLawFitter.DefaultMinTail };
        var degrees = new Command("degrees", "The degree sequence and its power-law fit (Clauset, Shalizi & Newman 2009), with likelihood ratios.") { bootstrap, minTail };
        foreach (var o in sourceOptions) degrees.Options.Add(o);
        degrees.SetAction(parse => Degrees(new DegreesArgs(Source(parse), parse.GetValue(bootstrap), parse.GetValue(seed), parse.GetValue(minTail), parse.GetValue(json)), Console.Out));

        var cmd = new Command("graph", "Network science on graphs (generated, edge lists, or feature graphs): box covering, fractal dimension, degree distributions.");
        cmd.Subcommands.Add(box);
        cmd.Subcommands.Add(degrees);
        return cmd;
    }

    /// <summary>Builds the graph a <see cref="GraphSource"/> names.</summary>
    public static LoadedGraph Load(GraphSource s, long? maxNodes = null)
    {
        int given = (s.Generator != null ? 1 : 0) + (s.Edges != null ? 1 : 0) + (s.Features != null ? 1 : 0);
        if (given != 1)
            throw new SelfSimException("Give exactly one graph: --generator flower:2,2,6 (or lattice/torus/ba/er/hierarchical), --edges FILE, " +
                                       "or --features F.npy with --threshold-fraction 0.05, --threshold L or --knn K.");
        if (s.Features == null && (s.ThresholdFraction ?? s.Threshold ?? s.Knn) != null)
            throw new SelfSimException("--threshold-fraction, --threshold and --knn build a graph from --features; pass --features F.npy too.");
        if (s.Generator != null) return new LoadedGraph(Generate(s.Generator, s.Seed, maxNodes), s.Generator, null, Array.Empty<string>());
        if (s.Edges != null) return new LoadedGraph(EdgeListFile.Read(s.Edges, header: s.Header).Graph, s.Edges, null, Array.Empty<string>());
        int rules = (s.ThresholdFraction != null ? 1 : 0) + (s.Threshold != null ? 1 : 0) + (s.Knn != null ? 1 : 0);
        if (rules != 1)
            throw new SelfSimException("With --features, give exactly one rule for the edges: --threshold-fraction F (the closest F of all pairs, e.g. 0.05), " +
                                       "--threshold L (pairs at distance < L) or --knn K (each node's K nearest).");
        OpenMpWaitPolicy.PreferPassive();   // before the first torch call loads libgomp
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

    /// <summary>Builds a graph from a generator spec such as "flower:2,2,6".</summary>
    /// <param name="maxNodes">Refuse, before anything is allocated, a graph with more nodes than this (box covering's limit).</param>
    public static CsrGraph Generate(string spec, int seed = 0, long? maxNodes = null)
    {
        var parts = spec.Split(':', 2);
        string kind = parts[0].Trim().ToLowerInvariant();
        var args = parts.Length > 1 ? parts[1].Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries) : Array.Empty<string>();
        int I(int i) => i < args.Length && int.TryParse(args[i], NumberStyles.Integer, CultureInfo.InvariantCulture, out var v) ? v
            : throw new SelfSimException($"Generator '{spec}': argument {i + 1} must be an integer. Forms: flower:U,V,GEN lattice:W,H torus:W,H ba:N,M er:N,P hierarchical:LEVELS.");
        double D(int i) => i < args.Length && double.TryParse(args[i], NumberStyles.Float, CultureInfo.InvariantCulture, out var v) ? v
            : throw new SelfSimException($"Generator '{spec}': argument {i + 1} must be a number. Forms: er:N,P.");
        void Count(int k) { if (args.Length != k) throw new SelfSimException($"Generator '{spec}' needs {k} comma-separated arguments; got {args.Length}."); }
        void Fits(long nodes) { if (maxNodes is long m && nodes > m) BoxSizes.CheckNodes(nodes, $"Generator '{spec}'", "Choose a smaller size."); }
        // (ba and er check their memory before they allocate; a covering of too many of their nodes is refused after)
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
            default: throw new SelfSimException($"Unknown generator '{kind}': use flower:U,V,GEN, lattice:W,H, torus:W,H, ba:N,M, er:N,P or hierarchical:LEVELS.");
        }
    }

    public static int BoxCover(BoxCoverArgs a, TextWriter output)
    {
        var loaded = Load(a.Source, BoxSizes.MaxNodes);
        CsrGraph g = loaded.Graph;
        string source = loaded.Source;
        BoxSizes.CheckNodes(g.NodeCount, source, "Cover a smaller graph.");
        foreach (var w in loaded.Warnings) Console.Error.WriteLine("warning: " + w);
        int[]? sizes = a.Sizes == null ? null : a.Sizes.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries)
            .Select(s => int.TryParse(s, NumberStyles.Integer, CultureInfo.InvariantCulture, out var v) ? v : throw new SelfSimException($"--sizes entry '{s}' is not an integer: pass e.g. --sizes 2,3,5,9.")).ToArray();
        var sw = System.Diagnostics.Stopwatch.StartNew();
        string method = a.Method.ToLowerInvariant();
        if (method is not ("gc" or "memb" or "cbb")) throw new SelfSimException($"Unknown box-covering method '{a.Method}': use gc, memb or cbb.");
        GraphBoxCoverResult r = CliProgress.Run(a.Progress, $"{method.ToUpperInvariant()} box covering of {g.NodeCount:N0} nodes", 1.0, report => method switch
        {
            "gc" => GreedyColoringBoxCover.Run(g, sizes, a.Restarts, a.Seed, report, a.Tabu),
            "memb" => MembBoxCover.Run(g, sizes, a.Seed, report),
            _ => CbbBoxCover.Run(g, sizes, a.Restarts, a.Seed, report),
        });
        double seconds = sw.Elapsed.TotalSeconds;
        GraphBoxDimensionFit? fit = null;
        string? fitError = null;
        try { fit = r.FitDimension(a.FitMin, a.FitMax); } catch (SelfSimException e) { fitError = e.Message; }

        var envelope = r.EnvelopeCounts;
        if (a.Json)
        {
            var o = new JsonObject
            {
                ["source"] = source,
                ["features"] = loaded.Features?.DeepClone(),
                ["warnings"] = new JsonArray(loaded.Warnings.Select(w => (JsonNode)JsonValue.Create(w)!).ToArray()),
                ["nodes"] = g.NodeCount,
                ["isolatedNodes"] = g.DegreeSequence().Count(k => k == 0),
                ["edges"] = g.EdgeCount,
                ["selfLoopsDropped"] = g.SelfLoopsDropped,
                ["duplicateEdgesMerged"] = g.DuplicatesMerged,
                ["components"] = r.ComponentCount,
                ["nodesCovered"] = r.NodesCovered,
                ["analysed"] = r.Analysed,
                ["method"] = r.Method,
                ["seed"] = r.Seed,
                ["restarts"] = r.Restarts,
                ["tabuIterations"] = method == "gc" ? GreedyColoringBoxCover.TabuIterationsFor(r.NodesCovered, a.Tabu) : null,
                ["seconds"] = Math.Round(seconds, 4),
                ["boxes"] = new JsonArray(r.BoxSizes.Select((l, i) => (JsonNode)new JsonObject { ["l_B"] = l, ["N_B"] = r.BoxCounts[i], ["N_B_envelope"] = envelope[i] }).ToArray()),
                ["fit"] = fit == null ? null : new JsonObject
                {
                    ["d_B"] = fit.Dimension,
                    ["stdError"] = fit.StdError,
                    ["lower95"] = fit.Lower95,
                    ["upper95"] = fit.Upper95,
                    ["minSize"] = fit.MinSize,
                    ["maxSize"] = fit.MaxSize,
                    ["points"] = fit.Points,
                    ["range"] = fit.Range,
                    ["rSquared"] = fit.RSquared,
                    ["residualRms"] = fit.ResidualRms,
                    ["curvature"] = double.IsNaN(fit.Curvature) ? null : fit.Curvature,
                    ["exponentialResidualRms"] = fit.ExponentialResidualRms,
                    ["powerLawPreferred"] = fit.PowerLawPreferred,
                    ["inconclusive"] = fit.Inconclusive,
                    ["verdict"] = fit.Verdict,
                },
                ["fitError"] = fitError,
            };
            output.WriteLine(o.ToJsonString(new JsonSerializerOptions { WriteIndented = true }));
            return 0;
        }
        output.WriteLine($"{source}: {g.NodeCount} nodes, {g.EdgeCount} edges" +
                         (g.SelfLoopsDropped + g.DuplicatesMerged > 0 ? $" ({g.SelfLoopsDropped} self-loops dropped, {g.DuplicatesMerged} duplicate edges merged)" : ""));
        output.WriteLine($"{r.Method.ToUpperInvariant()} on the {r.Analysed}; {seconds:F2} s");
        int isolated = g.DegreeSequence().Count(k => k == 0);
        if (isolated > 0) output.WriteLine($"{isolated} isolated nodes (kept in the node count; box covering uses the largest component)");
        output.WriteLine("   l_B      N_B  envelope");
        for (int i = 0; i < r.BoxSizes.Length; i++) output.WriteLine($"{r.BoxSizes[i],6} {r.BoxCounts[i],8} {envelope[i],9}");
        if (fit != null)
        {
            output.WriteLine($"d_B = {fit.Dimension:F3} ± {fit.StdError:F3} (95% [{fit.Lower95:F3}, {fit.Upper95:F3}]) over {fit.Range}, {fit.Points} points; " +
                             $"log-log rms {fit.ResidualRms:F3} vs exponential rms {fit.ExponentialResidualRms:F3}: {fit.Verdict}");
            output.WriteLine(IntervalCaveat);
        }
        else output.WriteLine($"no d_B fit: {fitError}");
        return 0;
    }

    /// <summary>Printed under every text d_B: what the interval leaves out (docs/cli-json.md, `graph boxcover`).</summary>
    public const string IntervalCaveat =
        "note: the 95% interval is the scatter of the fitted points only; greedy covers and finite size add a bias it " +
        "leaves out (on (2,3)- and (2,4)-flowers of a few thousand nodes d_B is 7-10% low with GC, 12-19% with MEMB or CBB)";

    /// <summary>`graph degrees`: the degree sequence of the graph and its discrete power-law fit. Isolated nodes are
    /// counted and reported; the fit, like any power law, uses the positive degrees.</summary>
    public static int Degrees(DegreesArgs a, TextWriter output)
    {
        var loaded = Load(a.Source);
        foreach (var w in loaded.Warnings) Console.Error.WriteLine("warning: " + w);
        var g = loaded.Graph;
        var deg = g.DegreeSequence();
        int isolated = deg.Count(k => k == 0);
        var x = deg.Where(k => k > 0).Select(k => (double)k).ToArray();
        if (x.Length < 2)
            throw new SelfSimException($"{loaded.Source}: only {x.Length} nodes have an edge; a degree distribution needs more. Use a larger --threshold-fraction or --knn.");
        var head = new JsonObject
        {
            ["source"] = loaded.Source,
            ["features"] = loaded.Features?.DeepClone(),
            ["warnings"] = new JsonArray(loaded.Warnings.Select(w => (JsonNode)JsonValue.Create(w)!).ToArray()),
            ["nodes"] = g.NodeCount,
            ["edges"] = g.EdgeCount,
            ["isolatedNodes"] = isolated,
            ["meanDegree"] = deg.Length == 0 ? 0 : deg.Average(),
            ["maxDegree"] = deg.Length == 0 ? 0 : deg.Max(),
        };
        if (!a.Json)
        {
            output.WriteLine($"{loaded.Source}: {g.NodeCount} nodes ({isolated} isolated), {g.EdgeCount} edges, mean degree {deg.Average():F2}, max {deg.Max()}");
            if (isolated > 0) output.WriteLine($"{isolated} isolated nodes have degree 0: the power-law fit uses the {x.Length} positive degrees");
        }
        return PowerLawCommand.Analyse(x, loaded.Source, new PowerLawCommand.PowerLawArgs(loaded.Source, Discrete: true, MinTail: Math.Min(a.MinTail, x.Length),
            Bootstrap: a.Bootstrap, Seed: a.Seed, Json: a.Json), output, head);
    }
}
