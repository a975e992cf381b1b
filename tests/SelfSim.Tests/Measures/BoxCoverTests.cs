using System;
using System.Collections.Generic;
using System.Linq;
using Xunit;
using static TorchSharp.torch;

namespace SelfSim.Tests.Measures;

public class BoxCoverTests
{
    /// <summary>A literal port of the reference's box_edge walk (slow, O(n^4)): pairs in (distance, i, j) order,
    /// merge two boxes when the pair completes every cross link.</summary>
    static (List<(int, int)> Merges, List<double> Sizes) ReferenceWalk(double[] D, int n)
    {
        var edges = new List<(int I, int J)>();
        for (int i = 0; i < n; i++) for (int j = i + 1; j < n; j++) edges.Add((i, j));
        edges = edges.OrderBy(e => D[e.I * n + e.J]).ToList();   // stable: ties stay in (i, j) order
        var label = Enumerable.Range(0, n).ToArray();
        var linked = new bool[n, n];
        var merges = new List<(int, int)>(); var sizes = new List<double>();
        foreach (var (i, j) in edges)
        {
            var a = Enumerable.Range(0, n).Where(k => label[k] == label[i]).ToArray();
            var b = Enumerable.Range(0, n).Where(k => label[k] == label[j]).ToArray();
            int links = a.Sum(p => b.Count(q => linked[p, q]));
            if (links + 1 == a.Length * b.Length)
            {
                int old = label[j];
                for (int k = 0; k < n; k++) if (label[k] == old) label[k] = label[i];
                merges.Add((i, j)); sizes.Add(D[i * n + j]);
            }
            linked[i, j] = linked[j, i] = true;
        }
        return (merges, sizes);
    }

    static double[] Distances(Tensor x) => PairDistances.UpperCpu(x, mirror: true);

    [Theory]
    [MemberData(nameof(ReferenceFixture.NamesWithBoxCover), MemberType = typeof(ReferenceFixture))]
    public void Reproduces_the_reference_box_cover_and_fit(string name)
    {
        var c = ReferenceFixture.Case(name);
        var r = BoxCover.Compute(c.Tensor());
        Assert.Equal(c.N - 1, r.BoxSizes.Length);
        var mine = r.BoxSizes.OrderBy(v => v).ToArray();
        var theirs = c.BoxSizes!.OrderBy(v => v).ToArray();
        Assert.All(mine.Zip(theirs), p => Assert.InRange(p.First - p.Second, -1e-4, 1e-4));
        Assert.Equal(c.Merges!.Select(m => (m[0], m[1])), r.Merges);          // no ties in these cases
        var f = r.NormalisedFit();
        Assert.InRange(f.Slope - c.Slope!.Value, -1e-4, 1e-4);
        Assert.InRange(f.Intercept - c.Intercept!.Value, -1e-4, 1e-4);
        Assert.InRange(f.StdError - c.StdError!.Value, -1e-4, 1e-4);
    }

    [Theory]
    [InlineData(1, 40, 3, false)]
    [InlineData(2, 60, 5, false)]
    [InlineData(3, 36, 2, true)]    // integer lattice: many equal distances
    [InlineData(4, 45, 1, true)]
    public void Matches_a_literal_port_of_the_reference_walk(int seed, int n, int d, bool ties)
    {
        manual_seed(seed);
        var x = ties ? randint(0, 4, new long[] { n, d }).to(ScalarType.Float32) : randn(n, d);
        var D = Distances(x);
        var (merges, sizes) = ReferenceWalk(D, n);
        var r = BoxCover.Compute(x);
        Assert.Equal(merges, r.Merges);
        Assert.Equal(sizes, r.BoxSizes);
    }

    [Fact]
    public void Hand_checked_line_with_ties()
    {
        // 0, 1, 2, 3 on a line: the walk takes (0,1) then (2,3) at 1; (1,2) does not complete {0,1}x{2,3};
        // the last box forms when (0,3) is walked, at 3.
        var x = tensor(new float[] { 0, 1, 2, 3 }, new long[] { 4, 1 });
        var r = BoxCover.Compute(x);
        Assert.Equal(new[] { (0, 1), (2, 3), (0, 3) }, r.Merges);
        Assert.Equal(new[] { 1.0, 1.0, 3.0 }, r.BoxSizes);
        Assert.Equal(new[] { 3, 2, 1 }, r.BoxCounts);
        Assert.Equal(new[] { new LinkageRow(0, 1, 1.0, 2), new LinkageRow(2, 3, 1.0, 2), new LinkageRow(4, 5, 3.0, 4) }, r.Tree);
    }

    [Fact]
    public void Tree_is_a_valid_linkage()
    {
        manual_seed(9);
        var r = BoxCover.Compute(randn(200, 8));
        var used = new HashSet<int>();
        for (int k = 0; k < r.Tree.Length; k++)
        {
            var (i, j, h, _) = r.Tree[k];
            Assert.True(i < j && j < r.Nodes + k, $"merge {k} joins clusters {i}, {j} that do not exist yet");
            Assert.True(used.Add(i) && used.Add(j), $"cluster reused at merge {k}");
            Assert.Equal(r.BoxSizes[k], h);
            if (k > 0) Assert.True(r.BoxSizes[k] >= r.BoxSizes[k - 1]);
        }
        Assert.Equal(200, r.Tree[^1].Size);
        // one merge tree: the dendrogram built from the node merges gives the same linkage rows
        var d = Dendrogram.FromMerges(r.Nodes, r.Merges.Select((p, k) => (p.I, p.J, r.BoxSizes[k])).ToList());
        Assert.Equal(r.Tree, d.Linkage);
    }

    [Fact]
    public void Distances_and_direct_matrix_agree()
    {
        manual_seed(4);
        var x = randn(30, 6);
        var a = BoxCover.Compute(x);
        var b = BoxCover.FromDistances(BoxCover.Distances(x).data<double>().ToArray(), 30);
        Assert.Equal(a.Merges, b.Merges);
        var e = Assert.Throws<SelfSimException>(() => BoxCover.FromDistances(new double[] { 0, double.NaN, double.NaN, 0 }, 2));
        Assert.Contains("nodes 0 and 1", e.Message);
    }

    [Fact]
    public void Bad_input_is_named()
    {
        var x = randn(10, 3); x[4, 1] = tensor(float.NaN);
        Assert.Contains("NaN", Assert.Throws<SelfSimException>(() => BoxCover.Compute(x)).Message);
        Assert.Contains("at least 2 nodes", Assert.Throws<SelfSimException>(() => BoxCover.Compute(randn(1, 3))).Message);
        var same = BoxCover.Compute(ones(5, 2));
        Assert.All(same.BoxSizes, v => Assert.Equal(0.0, v));
        Assert.Contains("identical", Assert.Throws<SelfSimException>(() => same.NormalisedFit()).Message);
        Assert.Throws<SelfSimException>(() => same.Dimension());
    }
}

public class BoxDimensionFitTests
{
    [Fact]
    public void Student_t_quantiles()
    {
        Assert.Equal(12.7062047, StudentT.Quantile(0.975, 1), 6);
        Assert.Equal(2.2281389, StudentT.Quantile(0.975, 10), 6);
        Assert.Equal(1.9599640, StudentT.Quantile(0.975, 1e7), 5);
        Assert.Equal(-2.0150484, StudentT.Quantile(0.05, 5), 6);
    }

    [Fact]
    public void Exact_power_law_gives_its_dimension()
    {
        // N_B = 1000·l^-1.7 exactly: the fit recovers 1.7 and the interval collapses; noise widens it.
        var sizes = Enumerable.Range(1, 20).Select(k => 0.1 * k).ToArray();
        var e = BoxDimensionFitter.LogLog(sizes, sizes.Select(l => 1000 * Math.Pow(l, -1.7)).ToArray());
        Assert.Equal(1.7, e.Dimension.Value, 9);
        Assert.True(e.Dimension.Upper - e.Dimension.Lower < 1e-6);
        Assert.Equal(1.0, e.RSquared, 9);
        var noisy = BoxDimensionFitter.LogLog(sizes, sizes.Select((l, k) => 1000 * Math.Pow(l, -1.7) * (k % 2 == 0 ? 1.1 : 0.9)).ToArray());
        Assert.True(noisy.Dimension.Lower < 1.7 && 1.7 < noisy.Dimension.Upper);
        Assert.True(noisy.Dimension.Upper - noisy.Dimension.Lower > 0.05);
        var part = BoxDimensionFitter.LogLog(sizes, sizes.Select(l => 1000 * Math.Pow(l, -1.7)).ToArray(), 0.5, 1.0);
        Assert.Equal(6, part.Points);
    }

    [Fact]
    public void Uniform_clouds_order_by_dimension()
    {
        // 1024 uniform points on a segment, a square and a cube. Greedy complete-linkage box counting is biased
        // low at finite n (about 0.94, 1.66, 2.23 here), but it separates the dimensions cleanly.
        manual_seed(7);
        var line = BoxCover.Compute(rand(1024, 1)).Dimension();
        var square = BoxCover.Compute(rand(1024, 2)).Dimension();
        var cube = BoxCover.Compute(rand(1024, 3)).Dimension();
        Assert.InRange(line.Dimension.Value, 0.85, 1.1);
        Assert.InRange(square.Dimension.Value, 1.5, 2.1);
        Assert.InRange(cube.Dimension.Value, 2.0, 3.1);
        Assert.True(line.Dimension.Upper < square.Dimension.Lower && square.Dimension.Upper < cube.Dimension.Lower);
    }

    [Fact]
    public void Cantor_set_has_dimension_log2_over_log3()
    {
        // Level-10 middle-thirds Cantor set: 1024 points; d_B = ln 2 / ln 3 ≈ 0.631 inside the 95% interval.
        var pts = new List<double> { 0 };
        double scale = 1;
        for (int level = 0; level < 10; level++)
        {
            scale /= 3;
            pts = pts.SelectMany(p => new[] { p, p + 2 * scale }).ToList();
        }
        var x = tensor(pts.Select(v => (float)Math.Round(v * 59049)).ToArray(), new long[] { pts.Count, 1 });
        var e = BoxCover.Compute(x).Dimension();
        double truth = Math.Log(2) / Math.Log(3);
        Assert.InRange(e.Dimension.Value, truth - 0.05, truth + 0.05);
        Assert.InRange(truth, e.Dimension.Lower, e.Dimension.Upper);
    }

    [Fact]
    public void Fitting_range_is_respected_and_checked()
    {
        manual_seed(8);
        var r = BoxCover.Compute(randn(300, 3));
        double lo = r.BoxSizes[50], hi = r.BoxSizes[250];
        var e = BoxDimensionFitter.LogLog(r, lo, hi);
        Assert.Equal(201, e.Points);
        Assert.Equal(lo, e.MinSize); Assert.Equal(hi, e.MaxSize);
        Assert.True(e.Dimension.Lower < e.Dimension.Value && e.Dimension.Value < e.Dimension.Upper);
        Assert.Throws<SelfSimException>(() => BoxDimensionFitter.LogLog(r, hi, lo));
        Assert.Throws<SelfSimException>(() => BoxDimensionFitter.LogLog(r, 1e9, 2e9));
    }
}
