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
/// `selfsim graph boxcover`: N_B(l_B) by GC, MEMB or CBB (Song et al. 2007) on a generated graph or an edge list, and
/// the fitted box dimension with its 95% interval. Box covering runs on the largest connected component and says so.
/// </summary>
public sealed class GraphCommand : ICliCommand
{
    public sealed record BoxCoverArgs(string? Generator, string? Edges, string Method = "memb", int Seed = 0, int Restarts = 4, string? Sizes = null, int? FitMin = null, int? FitMax = null, bool Json = false, bool Progress = false);

    public Command Create()
    {
        var generator = new Option<string?>("--generator") { Description = "flower:U,V,GEN | lattice:W,H | torus:W,H | ba:N,M | er:N,P | hierarchical:LEVELS" };
        var edges = new Option<string?>("--edges") { Description = "edge-list file: one 'u v' pair per line ('#' comments; self-loops dropped, duplicates merged, both reported)" };
        var method = new Option<string>("--method") { Description = "gc, memb or cbb", DefaultValueFactory = _ => "memb" };
        var seed = new Option<int>("--seed") { Description = "random seed (GC order, CBB picks, MEMB ties, generators)", DefaultValueFactory = _ => 0 };
        var restarts = new Option<int>("--restarts") { Description = "random restarts for gc and cbb (the minimum N_B is kept)", DefaultValueFactory = _ => 4 };
        var sizes = new Option<string?>("--sizes") { Description = "comma-separated box sizes l_B (default: 2..10 then powers of two up to the diameter; MEMB uses odd sizes only)" };
        var fitMin = new Option<int?>("--fit-min") { Description = "smallest l_B in the d_B fit (default: automatic)" };
        var fitMax = new Option<int?>("--fit-max") { Description = "largest l_B in the d_B fit (default: automatic)" };
        var json = new Option<bool>("--json") { Description = "print JSON" };
        var progress = CliProgress.CreateOption();
        var box = new Command("boxcover", "Box-covering N_B(l_B) and the fitted box dimension d_B (Song, Gallos, Havlin & Makse 2007).")
        { generator, edges, method, seed, restarts, sizes, fitMin, fitMax, json, progress };
        box.SetAction(parse => BoxCover(new BoxCoverArgs(parse.GetValue(generator), parse.GetValue(edges), parse.GetValue(method)!, parse.GetValue(seed),
            parse.GetValue(restarts), parse.GetValue(sizes), parse.GetValue(fitMin), parse.GetValue(fitMax), parse.GetValue(json), parse.GetValue(progress)), Console.Out));
        var cmd = new Command("graph", "Network science on graphs: box covering and fractal dimension.");
        cmd.Subcommands.Add(box);
        return cmd;
    }

    /// <summary>Builds a graph from a generator spec such as "flower:2,2,6".</summary>
    public static CsrGraph Generate(string spec, int seed = 0)
    {
        var parts = spec.Split(':', 2);
        string kind = parts[0].Trim().ToLowerInvariant();
        var args = parts.Length > 1 ? parts[1].Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries) : Array.Empty<string>();
        int I(int i) => i < args.Length && int.TryParse(args[i], NumberStyles.Integer, CultureInfo.InvariantCulture, out var v) ? v
            : throw new SelfSimException($"Generator '{spec}': argument {i + 1} must be an integer. Forms: flower:U,V,GEN lattice:W,H torus:W,H ba:N,M er:N,P hierarchical:LEVELS.");
        double D(int i) => i < args.Length && double.TryParse(args[i], NumberStyles.Float, CultureInfo.InvariantCulture, out var v) ? v
            : throw new SelfSimException($"Generator '{spec}': argument {i + 1} must be a number. Forms: er:N,P.");
        void Count(int k) { if (args.Length != k) throw new SelfSimException($"Generator '{spec}' needs {k} comma-separated arguments; got {args.Length}."); }
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
        if ((a.Generator == null) == (a.Edges == null))
            throw new SelfSimException("Give exactly one graph: --generator flower:2,2,6 (or lattice/torus/ba/er/hierarchical) or --edges FILE.");
        CsrGraph g;
        string source;
        if (a.Generator != null) { g = Generate(a.Generator, a.Seed); source = a.Generator; }
        else { g = EdgeListFile.Read(a.Edges!).Graph; source = a.Edges!; }
        int[]? sizes = a.Sizes == null ? null : a.Sizes.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries)
            .Select(s => int.TryParse(s, NumberStyles.Integer, CultureInfo.InvariantCulture, out var v) ? v : throw new SelfSimException($"--sizes entry '{s}' is not an integer: pass e.g. --sizes 2,3,5,9.")).ToArray();
        var sw = System.Diagnostics.Stopwatch.StartNew();
        string method = a.Method.ToLowerInvariant();
        if (method is not ("gc" or "memb" or "cbb")) throw new SelfSimException($"Unknown box-covering method '{a.Method}': use gc, memb or cbb.");
        GraphBoxCoverResult r = CliProgress.Run(a.Progress, $"{method.ToUpperInvariant()} box covering of {g.NodeCount:N0} nodes", 1.0, report => method switch
        {
            "gc" => GreedyColoringBoxCover.Run(g, sizes, a.Restarts, a.Seed, report),
            "memb" => MembBoxCover.Run(g, sizes, a.Seed, report),
            _ => CbbBoxCover.Run(g, sizes, a.Restarts, a.Seed, report),
        });
        double seconds = sw.Elapsed.TotalSeconds;
        GraphBoxDimensionFit? fit = null;
        string? fitError = null;
        try { fit = r.FitDimension(a.FitMin, a.FitMax); } catch (SelfSimException e) { fitError = e.Message; }

        if (a.Json)
        {
            var o = new JsonObject
            {
                ["source"] = source,
                ["nodes"] = g.NodeCount,
                ["edges"] = g.EdgeCount,
                ["selfLoopsDropped"] = g.SelfLoopsDropped,
                ["duplicateEdgesMerged"] = g.DuplicatesMerged,
                ["components"] = r.ComponentCount,
                ["nodesCovered"] = r.NodesCovered,
                ["analysed"] = r.Analysed,
                ["method"] = r.Method,
                ["seed"] = r.Seed,
                ["restarts"] = r.Restarts,
                ["seconds"] = Math.Round(seconds, 4),
                ["boxes"] = new JsonArray(r.BoxSizes.Select((l, i) => (JsonNode)new JsonObject { ["l_B"] = l, ["N_B"] = r.BoxCounts[i] }).ToArray()),
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
                },
                ["fitError"] = fitError,
            };
            output.WriteLine(o.ToJsonString(new JsonSerializerOptions { WriteIndented = true }));
            return 0;
        }
        output.WriteLine($"{source}: {g.NodeCount} nodes, {g.EdgeCount} edges" +
                         (g.SelfLoopsDropped + g.DuplicatesMerged > 0 ? $" ({g.SelfLoopsDropped} self-loops dropped, {g.DuplicatesMerged} duplicate edges merged)" : ""));
        output.WriteLine($"{r.Method.ToUpperInvariant()} on the {r.Analysed}; {seconds:F2} s");
        output.WriteLine("   l_B      N_B");
        for (int i = 0; i < r.BoxSizes.Length; i++) output.WriteLine($"{r.BoxSizes[i],6} {r.BoxCounts[i],8}");
        if (fit != null)
            output.WriteLine($"d_B = {fit.Dimension:F3} ± {fit.StdError:F3} (95% [{fit.Lower95:F3}, {fit.Upper95:F3}]) over {fit.Range}, {fit.Points} points; " +
                             $"log-log rms {fit.ResidualRms:F3} vs exponential rms {fit.ExponentialResidualRms:F3}: {(fit.PowerLawPreferred ? "fractal (power law fits better)" : "small-world (exponential fits better)")}");
        else output.WriteLine($"no d_B fit: {fitError}");
        return 0;
    }
}
