using System;
using Xunit;
using static TorchSharp.torch;

namespace SelfSim.Tests.Studies;

/// <summary>shared/studies/FeatureGraphScan.csx: threshold scans and the principal-plane picture.</summary>
public sealed class FeatureGraphScanTests
{
    [Fact]
    public void Threshold_scan_counts_edges_components_and_pair_fractions()
    {
        // four nodes: pairs (0,1)=1, (2,3)=1, (0,2)=2, others 5
        var d = new double[16];
        void Set(int i, int j, double v) { d[i * 4 + j] = v; d[j * 4 + i] = v; }
        Set(0, 1, 1); Set(2, 3, 1); Set(0, 2, 2); Set(0, 3, 5); Set(1, 2, 5); Set(1, 3, 5);
        var scales = FeatureGraphScan.ScalesAtPairFractions(d, 4, 2.0 / 6, 0.5);
        Assert.InRange(scales[0], 1.0, 1.0 + 1e-6);
        Assert.InRange(scales[1], 2.0, 2.0 + 1e-6);
        var rows = FeatureGraphScan.Run(d, 4, scales);
        Assert.Equal((2, 2, 0.5, 0), (rows[0].Edges, rows[0].Components, rows[0].LargestComponentFraction, rows[0].Isolated));
        Assert.Equal(2.0 / 6, rows[0].PairFraction, 12);
        Assert.Equal((3, 1, 1.0, 1.5, 2), (rows[1].Edges, rows[1].Components, rows[1].LargestComponentFraction, rows[1].MeanDegree, rows[1].MaxDegree));
        Assert.Equal(0, rows[1].AverageClustering);
        Assert.Throws<SelfSimException>(() => FeatureGraphScan.ScalesAtPairFractions(d, 4, 1.5));
    }

    [Fact]
    public void Principal_plane_of_collinear_points_has_zero_second_coordinate()
    {
        var pts = tensor(new float[] { 0, 0, 0, 1, 2, 3, 2, 4, 6, 3, 6, 9 }, new long[] { 4, 3 });
        var (x, y) = FeatureGraphScan.PrincipalPlane(pts);
        Assert.All(y, v => Assert.True(Math.Abs(v) < 1e-6));
        Assert.Equal(Math.Sqrt(14), Math.Abs(x[1] - x[0]), 6);
        var g = CsrGraph.FromEdges(4, new[] { (0, 1), (1, 2) });
        var json = Plotly.NET.GenericChart.toFigureJson(FeatureGraphScan.Picture(g, x, y, "graph"));
        Assert.Contains("2 edges", json);
    }
}
