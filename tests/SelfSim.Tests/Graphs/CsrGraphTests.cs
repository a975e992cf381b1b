using System;
using System.IO;
using System.Linq;
using Xunit;

namespace SelfSim.Tests.Graphs;

public class CsrGraphTests
{
    [Fact]
    public void Duplicates_are_merged_and_self_loops_dropped_and_counted()
    {
        var g = CsrGraph.FromEdges(4, new[] { (0, 1), (1, 0), (1, 2), (2, 2), (0, 1), (3, 2) });
        Assert.Equal(3, g.EdgeCount);
        Assert.Equal(1, g.SelfLoopsDropped);
        Assert.Equal(2, g.DuplicatesMerged);
        Assert.Equal(new[] { 1, 2, 2, 1 }, g.DegreeSequence());
        Assert.Equal(new[] { 0, 2 }, g.Neighbors(1).ToArray());
        Assert.True(g.HasEdge(2, 3));
        Assert.False(g.HasEdge(0, 2));
    }

    [Fact]
    public void Self_loops_can_be_rejected_and_bad_endpoints_are_named()
    {
        var e = Assert.Throws<SelfSimException>(() => CsrGraph.FromEdges(3, new[] { (0, 1), (2, 2) }, SelfLoopPolicy.Reject));
        Assert.Contains("self-loop on node 2", e.Message);
        var e2 = Assert.Throws<SelfSimException>(() => CsrGraph.FromEdges(3, new[] { (0, 5) }));
        Assert.Contains("(0, 5)", e2.Message);
    }

    [Fact]
    public void Components_are_labelled_largest_first_and_the_largest_maps_back()
    {
        // Triangle 4-5-6, path 0-1, isolated 2 and 3.
        var g = CsrGraph.FromEdges(7, new[] { (4, 5), (5, 6), (6, 4), (0, 1) });
        var c = GraphComponents.Compute(g);
        Assert.Equal(new[] { 3, 2, 1, 1 }, c.Sizes);
        Assert.Equal(0, c.Labels[5]);
        Assert.Equal(1, c.Labels[0]);
        var lc = LargestComponent.Of(g);
        Assert.Equal(3, lc.Graph.NodeCount);
        Assert.Equal(3, lc.Graph.EdgeCount);
        Assert.Equal(new[] { 4, 5, 6 }, lc.ToOriginal);
        Assert.False(lc.IsWholeGraph);
        Assert.Contains("3 of 7 nodes", lc.Describe());
    }

    [Fact]
    public void An_empty_graph_is_refused_with_a_fix()
    {
        var e = Assert.Throws<SelfSimException>(() => LargestComponent.Of(CsrGraph.FromEdges(0, Array.Empty<(int, int)>())));
        Assert.Contains("empty", e.Message);
        Assert.Throws<SelfSimException>(() => MembBoxCover.Run(CsrGraph.FromEdges(0, Array.Empty<(int, int)>())));
    }

    [Fact]
    public void Bfs_gives_hop_distances_and_minus_one_when_unreachable()
    {
        // Cycle of 6 plus an isolated node 6.
        var g = CsrGraph.FromEdges(7, Enumerable.Range(0, 6).Select(i => (i, (i + 1) % 6)).ToList());
        Assert.Equal(new[] { 0, 1, 2, 3, 2, 1, -1 }, GraphBfs.Distances(g, 0));
        Assert.Equal(new[] { 0, 1, -1, -1, -1, 1, -1 }, GraphBfs.Distances(g, 0, maxDepth: 1));
        var all = GraphBfs.AllPairs(g);
        Assert.Equal(3, all[1 * 7 + 4]);
        Assert.Equal(-1, all[6 * 7 + 0]);
        // the byte table used by GC's tabu step: depths up to the cap, 255 beyond it or unreachable
        var capped = GraphBfs.AllPairsCapped(g, 2);
        Assert.Equal(all.Select(d => d < 0 || d > 2 ? 255 : d), capped.Select(b => (int)b));
        Assert.Throws<ArgumentOutOfRangeException>(() => GraphBfs.AllPairsCapped(g, 255));
        Assert.Equal(3, GraphBfs.DiameterLowerBound(LargestComponent.Of(g).Graph));
    }

    [Fact]
    public void Edge_list_files_map_labels_count_bad_edges_and_name_bad_lines()
    {
        var text = "# a comment\nA B\nB C 0.5\nB A\nC C\n\nC,D\n";
        var el = EdgeListFile.Parse(new StringReader(text));
        Assert.Equal(new[] { "A", "B", "C", "D" }, el.Labels);
        Assert.Equal(3, el.Graph.EdgeCount);
        Assert.Equal(1, el.Graph.SelfLoopsDropped);
        Assert.Equal(1, el.Graph.DuplicatesMerged);
        var bad = Assert.Throws<SelfSimException>(() => EdgeListFile.Parse(new StringReader("1 2\n3\n")));
        Assert.Contains("line 2", bad.Message);
        Assert.Throws<SelfSimException>(() => EdgeListFile.Parse(new StringReader("# nothing\n")));
        Assert.Throws<FileNotFoundException>(() => EdgeListFile.Read("/no/such/edges.txt"));
    }

    [Fact]
    public void Feature_graphs_use_euclidean_over_sqrt_width()
    {
        // Four nodes in B = 4 dimensions; node i = i * (1,1,1,1), so d(i,j) = |i-j| * 2 / sqrt(4) = |i-j|.
        var x = new float[16];
        for (int i = 0; i < 4; i++) for (int k = 0; k < 4; k++) x[i * 4 + k] = i;
        using var nodes = NodeMatrix.FromTensor("line", TorchSharp.torch.tensor(x, new long[] { 4, 4 }));
        var d = nodes.DistanceArray();
        Assert.Equal(1.0, d[0 * 4 + 1], 12);
        Assert.Equal(3.0, d[0 * 4 + 3], 12);
        var t = nodes.ThresholdGraph(1.5); // distance < 1.5: consecutive nodes only
        Assert.Equal(3, t.EdgeCount);
        Assert.True(t.HasEdge(1, 2) && !t.HasEdge(0, 2));
        var t2 = FeatureGraphs.Threshold(d, 4, 1.0); // strict: distance 1 is not < 1
        Assert.Equal(0, t2.EdgeCount);
        var knn = FeatureGraphs.KNearest(d, 4, 1);
        // 0→1, 1→0 (tie with 2 goes to lower id), 2→1, 3→2.
        Assert.Equal(3, knn.EdgeCount);
        Assert.True(knn.HasEdge(2, 3));
        var mutual = FeatureGraphs.KNearest(d, 4, 1, mutual: true);
        Assert.Equal(1, mutual.EdgeCount); // only 0-1 choose each other
        Assert.Equal(FeatureGraphs.KNearest(d, 4, 1).EdgeCount, nodes.KNearestGraph(1).EdgeCount);
        using (var x64 = TorchSharp.torch.tensor(x.Select(v => (double)v).ToArray(), new long[] { 4, 4 }))
        using (var n64 = NodeMatrix.FromTensor("line64", x64))
            Assert.Equal(d, n64.DistanceArray());
        x[5] = float.NaN;
        var e = Assert.Throws<SelfSimException>(() => NodeMatrix.FromTensor("bad", TorchSharp.torch.tensor(x, new long[] { 4, 4 })));
        Assert.Contains("node row 1", e.Message);
        Assert.Throws<SelfSimException>(() => FeatureGraphs.KNearest(d, 4, 4));
    }
}
