using System;
using System.IO;
using System.Linq;
using System.Text.Json;
using SelfSim.Cli;
using Xunit;

namespace SelfSim.Tests.Cli;

public class GraphCliTests
{
    static JsonElement BoxCover(GraphCommand.BoxCoverArgs a)
    {
        var w = new StringWriter();
        Assert.Equal(0, GraphCommand.BoxCover(a with { Json = true }, w));
        return JsonDocument.Parse(w.ToString()).RootElement;
    }

    [Fact]
    public void Boxcover_json_reports_exact_flower_counts_and_the_fit()
    {
        var j = BoxCover(new GraphCommand.BoxCoverArgs("flower:2,2,6", null, "memb"));
        Assert.Equal(2732, j.GetProperty("nodes").GetInt32());
        var boxes = j.GetProperty("boxes").EnumerateArray().ToDictionary(b => b.GetProperty("l_B").GetInt32(), b => b.GetProperty("N_B").GetInt32());
        Assert.Equal(684, boxes[3]);
        Assert.Equal(172, boxes[5]);
        Assert.Equal(44, boxes[9]);
        var fit = j.GetProperty("logLogFit");
        var dB = fit.GetProperty("boxDimension");
        Assert.InRange(dB.GetProperty("value").GetDouble(), 1.8, 2.2);
        Assert.True(dB.GetProperty("lower").GetDouble() < dB.GetProperty("upper").GetDouble());
        Assert.Equal(0.95, dB.GetProperty("level").GetDouble());
        Assert.True(fit.GetProperty("powerLawPreferred").GetBoolean());
        Assert.Contains("all 2732 nodes", j.GetProperty("analysed").GetString());
    }

    [Fact]
    public void Boxcover_json_says_how_many_tabu_steps_gc_used()
    {
        // (2,3)-flower of generation 4 (470 nodes): greedy alone 45 boxes at l_B = 6, with tabu 42 (the minimum is 35).
        var auto = BoxCover(new GraphCommand.BoxCoverArgs("flower:2,3,4", null, "gc"));
        Assert.Equal(TabuBoxCover.DefaultIterations, auto.GetProperty("tabuIterations").GetInt32());
        var off = BoxCover(new GraphCommand.BoxCoverArgs("flower:2,3,4", null, "gc", Tabu: 0));
        Assert.Equal(0, off.GetProperty("tabuIterations").GetInt32());
        int At(JsonElement j, int l) => j.GetProperty("boxes").EnumerateArray().First(b => b.GetProperty("l_B").GetInt32() == l).GetProperty("N_B").GetInt32();
        Assert.Equal(42, At(auto, 6));
        Assert.Equal(45, At(off, 6));
        Assert.Equal(JsonValueKind.Null, BoxCover(new GraphCommand.BoxCoverArgs("flower:2,3,4", null, "memb")).GetProperty("tabuIterations").ValueKind);
        // GC with tabu is the default method (the one within 10% on every validated flower; docs/cli-json.md)
        var byDefault = BoxCover(new GraphCommand.BoxCoverArgs("flower:2,3,4", null));
        Assert.Equal("gc", byDefault.GetProperty("method").GetString());
        Assert.Equal(42, At(byDefault, 6));
        Assert.Contains("tabu", Assert.Throws<SelfSimException>(() => BoxCover(new GraphCommand.BoxCoverArgs("flower:2,3,4", null, "gc", Tabu: -1))).Message);
    }

    [Fact]
    public void Boxcover_accepts_every_generator_and_method()
    {
        foreach (var (gen, m) in new[] { ("lattice:12,12", "gc"), ("torus:12,12", "cbb"), ("ba:300,2", "memb"), ("er:300,0.02", "gc"), ("hierarchical:2", "memb") })
        {
            var j = BoxCover(new GraphCommand.BoxCoverArgs(gen, null, m, Seed: 3));
            Assert.Equal(m, j.GetProperty("method").GetString());
            Assert.True(j.GetProperty("boxes").GetArrayLength() > 0);
        }
    }

    [Fact]
    public void Edge_files_report_self_loops_duplicates_and_the_component_used()
    {
        var path = Path.Combine(Path.GetTempPath(), $"selfsim-edges-{Guid.NewGuid():N}.txt");
        // A 6-cycle with a self-loop and a repeated edge, plus a separate pair.
        File.WriteAllText(path, "# test\n0 1\n1 2\n2 3\n3 4\n4 5\n5 0\n2 2\n1 0\n10 11\n");
        try
        {
            var j = BoxCover(new GraphCommand.BoxCoverArgs(null, path, "cbb", Sizes: "2,3,4"));
            Assert.Equal(1, j.GetProperty("selfLoopsDropped").GetInt32());
            Assert.Equal(1, j.GetProperty("duplicateEdgesMerged").GetInt32());
            Assert.Equal(2, j.GetProperty("components").GetInt32());
            Assert.Equal(6, j.GetProperty("nodesCovered").GetInt32());
            Assert.Contains("largest connected component: 6 of 8", j.GetProperty("analysed").GetString());
            var boxes = j.GetProperty("boxes").EnumerateArray().Select(b => b.GetProperty("N_B").GetInt32()).ToArray();
            Assert.Equal(new[] { 3, 2, 1 }, boxes); // a 6-cycle: ⌈6/l_B⌉ boxes at l_B = 2, 3; its diameter is 3, so one box at 4
            // Too few box sizes for a fit: the counts still print, with the reason.
            Assert.Equal(JsonValueKind.Null, j.GetProperty("logLogFit").ValueKind);
            Assert.Contains("points", j.GetProperty("logLogFitError").GetString());
        }
        finally { File.Delete(path); }
    }

    [Fact]
    public void Bad_graph_arguments_are_one_clear_error()
    {
        var w = new StringWriter();
        Assert.Throws<SelfSimException>(() => GraphCommand.BoxCover(new GraphCommand.BoxCoverArgs(null, null), w));
        Assert.Throws<SelfSimException>(() => GraphCommand.BoxCover(new GraphCommand.BoxCoverArgs("flower:2,2,3", "x.txt"), w));
        Assert.Contains("Unknown generator", Assert.Throws<SelfSimException>(() => GraphGeneratorSpec.Build("tree:3")).Message);
        Assert.Contains("3 comma-separated", Assert.Throws<SelfSimException>(() => GraphGeneratorSpec.Build("flower:2,2")).Message);
        Assert.Contains("Unknown box-covering method", Assert.Throws<SelfSimException>(() => GraphCommand.BoxCover(new GraphCommand.BoxCoverArgs("flower:2,2,2", null, "xyz"), w)).Message);
        var empty = Path.Combine(Path.GetTempPath(), $"selfsim-empty-{Guid.NewGuid():N}.txt");
        File.WriteAllText(empty, "# no edges\n");
        try { Assert.Contains("no edges", Assert.Throws<SelfSimException>(() => GraphCommand.BoxCover(new GraphCommand.BoxCoverArgs(null, empty), w)).Message); }
        finally { File.Delete(empty); }
    }

    [Fact]
    public void Powerlaw_json_reports_the_fit_p_and_likelihood_ratios()
    {
        var w = new StringWriter();
        var file = Path.Combine(RepoPaths.Fixtures, "powerlaw", "terrorism.txt");
        Assert.Equal(0, PowerLawCommand.Run(new PowerLawCommand.PowerLawArgs(file, Discrete: true, Bootstrap: 50, Seed: 2, Json: true), w));
        var j = JsonDocument.Parse(w.ToString()).RootElement;
        Assert.Equal(12, j.GetProperty("xmin").GetDouble());
        Assert.Equal(2.3699, j.GetProperty("alpha").GetDouble(), 4);
        Assert.Equal(0.01769, j.GetProperty("ks").GetDouble(), 5);
        Assert.True(j.GetProperty("alphaStdError").GetDouble() > 0);
        Assert.InRange(j.GetProperty("p").GetDouble(), 0.4, 1.0);
        var lr = j.GetProperty("likelihoodRatios").EnumerateArray().Select(e => e.GetProperty("alternative").GetString()).ToArray();
        Assert.Equal(new[] { "lognormal", "exponential", "truncated_power_law" }, lr);
        Assert.Throws<SelfSimException>(() => PowerLawCommand.Run(new PowerLawCommand.PowerLawArgs(file, Discrete: true, Continuous: true), w));
        Assert.Throws<FileNotFoundException>(() => PowerLawCommand.Run(new PowerLawCommand.PowerLawArgs("/no/such/data.txt"), w));
    }
}
