#nullable enable
using System;
using System.Collections.Generic;
using System.Linq;
using Plotly.NET;

// Degree distributions on log-log axes as complementary CDFs, the form Clauset, Shalizi & Newman (SIAM Review 51, 661, 2009)
// recommend over binned histograms (from DegreeDistribution, shared/graphs/), with the fitted power law drawn over its tail.

/// <summary>Log-log charts of degree distributions.</summary>
public static class DegreeCharts
{
    /// <summary>The CCDFs P(K ≥ k) of several degree sequences on one log-log chart.</summary>
    public static GenericChart Ccdf(IEnumerable<(string Name, int[] Degrees)> sequences, string title, string xTitle = "degree k (links)")
    {
        var traces = sequences.Where(s => s.Degrees.Any(k => k > 0)).Select(s =>
        {
            var (x, p) = DegreeDistribution.Ccdf(s.Degrees);
            return Plotly.NET.CSharp.Chart.Line<double, double, string>(x, p, Name: s.Name, ShowMarkers: true);
        }).ToList();
        if (traces.Count == 0) throw new SelfSimException("DegreeCharts.Ccdf: every sequence is empty or all zero; pick a larger threshold scale.");
        return ChartLayout.Styled(Plotly.NET.CSharp.Chart.Combine(traces), title, xTitle, "P(K ≥ k) (fraction of nodes)", logX: true, logY: true);
    }

    /// <summary>The empirical CCDF of <paramref name="samples"/> with the fitted power law over x ≥ xmin, scaled to the tail fraction.</summary>
    public static GenericChart CcdfWithFit(IEnumerable<double> samples, PowerLawFit fit, string name, string title, string xTitle)
    {
        var (x, p) = DegreeDistribution.Ccdf(samples);
        var tail = x.Where(v => v >= fit.Xmin).ToArray();
        var model = tail.Select(v => fit.TailFraction * fit.Ccdf(v)).ToArray();
        return ChartLayout.Styled(Plotly.NET.CSharp.Chart.Combine(new[]
        {
            Plotly.NET.CSharp.Chart.Point<double, double, string>(x, p, Name: name),
            Plotly.NET.CSharp.Chart.Line<double, double, string>(tail, model, Name: $"power law α = {fit.Alpha:F2}, x_min = {fit.Xmin:G4}",
                LineDash: StyleParam.DrawingStyle.Dash, LineWidth: 2.5),
        }), title, xTitle, "P(X ≥ x) (fraction of samples)", logX: true, logY: true);
    }

    /// <summary>C(k), mean clustering of degree-k nodes, on log-log axes with the fitted C(k) ~ k^(−β) line.</summary>
    public static GenericChart Clustering(ClusteringByDegree ck, ClusteringScalingFit? fit, string name, string title)
    {
        var idx = Enumerable.Range(0, ck.Degrees.Length).Where(i => ck.MeanClustering[i] > 0).ToArray();
        var traces = new List<GenericChart>
        {
            Plotly.NET.CSharp.Chart.Point<int, double, string>(idx.Select(i => ck.Degrees[i]), idx.Select(i => ck.MeanClustering[i]), Name: name),
        };
        if (fit is not null)
        {
            var ks = new[] { (double)fit.MinDegree, fit.MaxDegree };
            traces.Add(Plotly.NET.CSharp.Chart.Line<double, double, string>(ks, ks.Select(k => Math.Exp(fit.Intercept) * Math.Pow(k, -fit.Beta.Value)),
                Name: $"C(k) ~ k^-β, β = {fit.Beta.Value:F2} [{fit.Beta.Lower:F2}, {fit.Beta.Upper:F2}]", LineDash: StyleParam.DrawingStyle.Dash, LineWidth: 2.5));
        }
        return ChartLayout.Styled(Plotly.NET.CSharp.Chart.Combine(traces), title, "degree k (links)", "mean clustering C(k) (dimensionless)", logX: true, logY: true);
    }
}
