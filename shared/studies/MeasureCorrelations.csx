#nullable enable
using System;
using System.Collections.Generic;
using System.Linq;

// Is S another name for a dimension? Spearman's ρ (Spearman 1904) between S and each other layer measure, over one
// survey's trained layers and, for a seed survey, per seed with a Student-t interval of the mean ρ over seeds.

/// <summary>One measure a <see cref="LayerMeasures"/> row carries beside S; <paramref name="IsDimension"/> marks the
/// intrinsic dimensions (the candidates for "S under another name").</summary>
public sealed record LayerMeasureColumn(string Name, Func<LayerMeasures, double> Get, bool IsDimension);

/// <summary>ρ between S and one measure over <paramref name="Layers"/> layers with finite values of both, with
/// <see cref="RankCorrelation.Spearman"/>'s Fisher-z interval; null with fewer than 4 such layers.</summary>
public sealed record MeasureCorrelation(LayerMeasureColumn Column, int Layers, Estimate? Rho);

/// <summary>ρ between S and one measure in each seed's survey, and their mean over seeds with a Student-t interval
/// (<see cref="MeanInterval"/>): the spread that a new seed brings, not the sampling error of each ρ over layers.</summary>
public sealed record SeedMeasureCorrelation(LayerMeasureColumn Column, IReadOnlyDictionary<int, MeasureCorrelation> BySeed,
    Estimate MeanRho);

public static class MeasureCorrelations
{
    static double V(Estimate? e) => e?.Value ?? double.NaN;

    /// <summary>The measures chapter 09 sets beside S, in its order: d_B, the nodes' correlation dimension ν and TwoNN,
    /// the samples' TwoNN, and the weight spectrum's α.</summary>
    public static IReadOnlyList<LayerMeasureColumn> Columns { get; } = new[]
    {
        new LayerMeasureColumn("d_B (exact box cover)", l => l.BoxDimension.Value, true),
        new LayerMeasureColumn("correlation dimension (nodes)", l => V(l.NodeCorrelationDimension), true),
        new LayerMeasureColumn("TwoNN (nodes)", l => V(l.NodeTwoNn), true),
        new LayerMeasureColumn("TwoNN (samples)", l => V(l.SampleTwoNn), true),
        new LayerMeasureColumn("weight alpha", l => l.WeightAlpha, false),
    };

    /// <summary>ρ between S and each of <see cref="Columns"/> over <paramref name="layers"/>.</summary>
    public static IReadOnlyList<MeasureCorrelation> WithS(IReadOnlyList<LayerMeasures> layers, double level = 0.95) =>
        Columns.Select(c => WithS(layers, c, level)).ToList();

    /// <summary>ρ between S and <paramref name="column"/> over the layers where both are finite.</summary>
    public static MeasureCorrelation WithS(IReadOnlyList<LayerMeasures> layers, LayerMeasureColumn column, double level = 0.95)
    {
        var s = layers.Select(l => l.S).ToList();
        var x = layers.Select(column.Get).ToList();
        int used = s.Zip(x).Count(p => double.IsFinite(p.First) && double.IsFinite(p.Second));
        return new MeasureCorrelation(column, used, used >= 4 ? RankCorrelation.Spearman(s, x, level) : null);
    }

    /// <summary>Per column: ρ in each seed's survey (its trained layers) and the mean ρ over the seeds where it exists,
    /// with a Student-t interval at <paramref name="level"/> (NaN ends with one seed).</summary>
    public static IReadOnlyList<SeedMeasureCorrelation> OverSeeds(IReadOnlyDictionary<int, IReadOnlyList<ArchitectureRun>> bySeed,
        double level = 0.95)
    {
        if (bySeed.Count == 0) throw new SelfSimException("ρ over seeds needs at least one seed's survey (SurveySeeds.Load).");
        return Columns.Select(c =>
        {
            var perSeed = new SortedDictionary<int, MeasureCorrelation>();
            foreach (var (seed, runs) in bySeed) perSeed[seed] = WithS(ArchitectureSurvey.TrainedLayers(runs), c, level);
            var rhos = perSeed.Values.Where(m => m.Rho is not null).Select(m => m.Rho!.Value).ToList();
            return new SeedMeasureCorrelation(c, perSeed, MeanInterval.Of(rhos, level));
        }).ToList();
    }
}
