using System;
using System.Linq;
using Xunit;

namespace SelfSim.Tests.Hierarchy;

public class HierarchyTests
{
    [Fact]
    public void Local_clustering_matches_hand_counts()
    {
        // K4 minus edge (2,3): node 0 and 1 see 2 of 3 neighbour pairs linked; nodes 2 and 3 see their one pair linked.
        var g = CsrGraph.FromEdges(5, new[] { (0, 1), (0, 2), (0, 3), (1, 2), (1, 3), (3, 4) });
        var c = ClusteringCoefficients.Local(g);
        Assert.Equal(new long[] { 2, 2, 1, 1, 0 }, ClusteringCoefficients.Triangles(g));
        Assert.Equal(2.0 / 3, c[0], 12);
        Assert.Equal(2.0 / 3, c[1], 12);
        Assert.Equal(1.0, c[2], 12);
        Assert.Equal(1.0 / 3, c[3], 12); // neighbours 0, 1, 4: only 0-1 linked
        Assert.Equal(0.0, c[4]);         // degree 1
        var ck = ClusteringCoefficients.ByDegree(g);
        Assert.Equal(new[] { 2, 3 }, ck.Degrees);
        Assert.Equal(1.0, ck.MeanClustering[0], 12);
        Assert.Equal((2.0 / 3 + 2.0 / 3 + 1.0 / 3) / 3, ck.MeanClustering[1], 12);
    }

    [Fact]
    public void Hierarchical_model_has_beta_near_one_and_preferential_attachment_does_not()
    {
        var g = HierarchicalModelGraph.Create(4);
        Assert.Equal(3125, g.NodeCount);
        var ck = ClusteringCoefficients.ByDegree(g);
        Assert.Equal(1.0, ck.MeanClustering[0], 12); // degree-4 nodes sit in a 5-clique
        var fit = ClusteringCoefficients.FitScaling(ck);
        Assert.InRange(fit.Beta.Value, 0.95, 1.2);
        Assert.True(fit.RSquared > 0.98);
        var ba = ClusteringCoefficients.FitScaling(ClusteringCoefficients.ByDegree(BarabasiAlbertGraph.Create(5000, 3, 1)), minNodes: 5);
        Assert.True(ba.Beta.Value < 0.6, $"BA beta {ba.Beta.Value}");
    }

    [Fact]
    public void Graphs_without_triangles_cannot_fit_c_of_k()
    {
        var e = Assert.Throws<SelfSimException>(() => ClusteringCoefficients.FitScaling(ClusteringCoefficients.ByDegree(FlowerGraph.Create(2, 2, 4))));
        Assert.Contains("triangles", e.Message);
    }

    [Fact]
    public void Dendrogram_gives_scipy_linkage_leaf_order_and_segments()
    {
        // Leaves 0..4. Boxes: {2,3} at 1, {0,1} at 2, {0,1,2,3} at 5 (named by members 1 and 3), {all} at 7 (4 and 0).
        var d = Dendrogram.FromMerges(5, new[] { (3, 2, 1.0), (0, 1, 2.0), (1, 3, 5.0), (4, 0, 7.0) });
        Assert.Equal(new[]
        {
            new LinkageRow(2, 3, 1, 2),
            new LinkageRow(0, 1, 2, 2),
            new LinkageRow(5, 6, 5, 4),
            new LinkageRow(4, 7, 7, 5),
        }, d.Linkage);
        // Depth-first, first-listed child on the left (scipy's convention for Z[i,0] then Z[i,1]).
        Assert.Equal(new[] { 4, 2, 3, 0, 1 }, d.LeafOrder);
        // Leaf x positions follow the order; a merged cluster sits midway between its children.
        Assert.Equal(0, d.X[4]);
        Assert.Equal(1, d.X[2]);
        Assert.Equal(4, d.X[1]);
        Assert.Equal(1.5, d.X[5]);
        Assert.Equal(0.5 * (d.X[5] + d.X[6]), d.X[7]);
        var top = d.Links[3];
        Assert.Equal(new[] { d.X[4], d.X[4], d.X[7], d.X[7] }, top.X);
        Assert.Equal(new[] { 0, 7, 7, 5.0 }, top.Y);
        Assert.Equal(12, d.Segments().Count());
        Assert.Equal(new double[] { 5, 6, 5, 4 }, d.LinkageMatrix()[2]);
    }

    [Fact]
    public void Dendrogram_refuses_bad_merges_and_draws_forests()
    {
        Assert.Throws<SelfSimException>(() => Dendrogram.FromMerges(3, new[] { (0, 1, 1.0), (1, 0, 2.0) }));  // same cluster
        Assert.Throws<SelfSimException>(() => Dendrogram.FromMerges(3, new[] { (0, 3, 1.0) }));               // no node 3
        Assert.Throws<SelfSimException>(() => Dendrogram.FromMerges(3, new[] { (0, 1, 2.0), (1, 2, 1.0) }));  // heights fall
        var forest = Dendrogram.FromMerges(4, new[] { (2, 3, 1.0) });
        Assert.Single(forest.Linkage);
        Assert.Equal(new[] { 0, 1, 2, 3 }, forest.LeafOrder);
    }
}
