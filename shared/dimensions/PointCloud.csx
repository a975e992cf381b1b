#nullable enable
using System;
using System.Collections.Generic;
using System.Linq;
using TorchSharp;
using static TorchSharp.torch;

// The points an intrinsic-dimension estimator sees (Facco et al. 2017; Levina & Bickel 2005; Grassberger & Procaccia
// 1983): rows of a matrix, with exact duplicates set aside, since a zero distance makes their ratios infinite.

/// <summary>Which rows of a layer are the points: its nodes (the paper's view: neurons with their probe responses as
/// coordinates) or its probe samples (Ansuini et al. 2019's view: samples with the neurons as coordinates).</summary>
public enum PointView { Nodes, Samples }

/// <summary>
/// The distinct points of a matrix (rows are points) and their pairwise distances ‖x_i − x_j‖/√d (float64, from
/// <see cref="PairDistances"/>; the 1/√d scale does not change any dimension). Exact duplicates (distance 0) are kept
/// once and counted in <see cref="Duplicates"/>, with a warning. NaN or Inf entries, a single point, and points that
/// are all identical (every column constant) throw a <see cref="SelfSimException"/>; some constant columns only warn.
/// </summary>
public sealed class PointCloud : IDisposable
{
    /// <summary>The distinct points [m, d], in the input's precision.</summary>
    public Tensor Rows { get; }
    /// <summary>Their m×m distances, row-major (diagonal 0).</summary>
    public double[] Distances { get; }
    /// <summary>m, the number of distinct points.</summary>
    public int Points { get; }
    /// <summary>d, the number of coordinates per point.</summary>
    public int Coordinates { get; }
    /// <summary>Points of the input that repeat an earlier one exactly and were set aside.</summary>
    public int Duplicates { get; }
    /// <summary>Duplicates and constant columns, in words.</summary>
    public IReadOnlyList<string> Warnings { get; }

    PointCloud(Tensor rows, double[] distances, int duplicates, IReadOnlyList<string> warnings)
    {
        Rows = rows; Distances = distances; Duplicates = duplicates; Warnings = warnings;
        Points = (int)rows.shape[0]; Coordinates = (int)rows.shape[1];
    }

    /// <summary>The points of a layer seen as <paramref name="view"/>: the node matrix's rows (its cached distances are
    /// reused) or its columns.</summary>
    public static PointCloud Of(NodeMatrix m, PointView view = PointView.Nodes)
    {
        if (m is null) throw new SelfSimException("PointCloud.Of: the node matrix is null.");
        if (view == PointView.Nodes)
        {
            Check(m.Features, $"the nodes of {m.Name}");
            return Build(m.Features, m.DistanceArray(), $"the nodes of {m.Name}");
        }
        using var t = m.Features.detach().transpose(0, 1).contiguous();
        return FromRows(t, $"the samples of {m.Name}");
    }

    /// <summary>The rows of <paramref name="x"/> [points, coordinates] as points; <paramref name="what"/> names them in messages.</summary>
    public static PointCloud FromRows(Tensor x, string what = "the points")
    {
        Check(x, what);
        using var xd = x.detach().cpu().contiguous();
        return Build(xd, PairDistances.UpperCpu(xd, mirror: true), what);
    }

    static void Check(Tensor x, string what)
    {
        if (x is null) throw new SelfSimException($"{what}: the matrix is null. Pass a [points, coordinates] tensor.");
        if (x.dim() != 2 || !x.is_floating_point())
            throw new SelfSimException($"{what}: a dimension estimate needs a 2-D floating-point matrix [points, coordinates]; got " +
                                       $"{x.dtype} [{string.Join(", ", x.shape)}].");
        if (x.shape[0] < 2)
            throw new SelfSimException($"{what}: {x.shape[0]} point(s); a dimension needs at least 3 distinct points (each point needs two neighbours). " +
                                       "Pass more rows (or the other orientation: --samples-in-rows, --points).");
        if (x.shape[1] < 1) throw new SelfSimException($"{what}: the points have no coordinates (0 columns).");
        if (!PairDistances.CpuPathFits(x.shape[0]))
            throw new SelfSimException($"{what}: {x.shape[0]} points need an n×n distance matrix over 2 GB; subsample to at most 16383 points.");
        using var _ = no_grad();
        using var scope = NewDisposeScope();
        var finite = isfinite(x.detach());
        if (!finite.all().item<bool>())
        {
            long nans = isnan(x.detach()).sum().item<long>();
            long infs = isinf(x.detach()).sum().item<long>();
            long row = (~finite).any(1).nonzero()[0, 0].item<long>();
            throw new SelfSimException($"{what}: {nans} NaN and {infs} Inf value(s) (first in row {row}). A dimension is undefined there: " +
                                       "check the activations (a diverged model?) or drop those rows.");
        }
    }

    static PointCloud Build(Tensor x, double[] dist, string what)
    {
        int n = (int)x.shape[0], d = (int)x.shape[1];
        var warnings = new List<string>();
        var keep = new List<int>(n);
        var dropped = new bool[n];
        for (int i = 0; i < n; i++)
        {
            if (dropped[i]) continue;
            keep.Add(i);
            for (int j = i + 1; j < n; j++) if (!dropped[j] && dist[(long)i * n + j] == 0) dropped[j] = true;
        }
        int dup = n - keep.Count;
        using var _ = no_grad();
        int constant;
        using (var scope = NewDisposeScope())
            constant = (int)(x.detach().max(0).values - x.detach().min(0).values).eq(0).sum().item<long>();
        if (keep.Count == 1)
            throw new SelfSimException($"{what}: all {n} points are identical (every one of the {d} columns is constant), so there is no " +
                                       "dimension to measure. Check the layer (dead units?) or the orientation (--samples-in-rows).");
        if (dup > 0)
            warnings.Add($"{dup} of {n} points repeat another exactly (zero distances, e.g. dead units); each is kept once, " +
                         $"so the estimate uses {keep.Count} distinct points.");
        if (constant > 0)
            warnings.Add($"{constant} of {d} columns are constant (they add no spread); the points live in the other {d - constant}.");
        if (keep.Count < 3)
            throw new SelfSimException($"{what}: only {keep.Count} distinct points; a dimension needs at least 3 (each point needs two neighbours).");
        Tensor rows;
        double[] sub;
        if (dup == 0) { rows = x.detach().clone(); sub = dist; }
        else
        {
            using var idx = tensor(keep.Select(v => (long)v).ToArray());
            rows = x.detach().index_select(0, idx).contiguous();
            int m = keep.Count;
            sub = new double[(long)m * m];
            for (int a = 0; a < m; a++)
                for (int b = 0; b < m; b++) sub[(long)a * m + b] = dist[(long)keep[a] * n + keep[b]];
        }
        return new PointCloud(rows, sub, dup, warnings);
    }

    /// <summary>Each point's k nearest distances to other points, ascending ([m, k], by torch.topk on the distance
    /// matrix with the diagonal masked).</summary>
    public double[][] NearestDistances(int k)
    {
        if (k < 1 || k >= Points)
            throw new SelfSimException($"{k} nearest neighbours asked of {Points} distinct points: pick k between 1 and {Points - 1}.");
        using var _ = no_grad();
        using var scope = NewDisposeScope();
        var dm = tensor(Distances, new long[] { Points, Points });
        dm.diagonal().fill_(double.PositiveInfinity);
        var (values, _) = dm.topk(k, dim: 1, largest: false, sorted: true);
        var flat = values.contiguous().data<double>().ToArray();
        return Enumerable.Range(0, Points).Select(i => flat.AsSpan(i * k, k).ToArray()).ToArray();
    }

    public void Dispose() => Rows.Dispose();

    public override string ToString() => $"{Points} distinct points × {Coordinates} coordinates ({Duplicates} duplicates set aside)";
}
