#nullable enable
using System;
using System.Collections.Generic;
using System.Linq;
using TorchSharp;
using static TorchSharp.torch;

// One row per layer of the measures the paper reports (Ding et al. 2025, arXiv 2507.17785, Sec. 3-4): Srate S, the
// reference's normalised box-covering slope, and the box dimension d_B from the exact cover and from Srate's curve.

/// <summary>
/// The self-similarity measures of one layer's node matrix, each with its 95 % interval where it has one:
/// <list type="bullet">
/// <item><see cref="S"/>: Srate, the reference's approximate box-covering rate over 256 scales;</item>
/// <item><see cref="NormalisedSlope"/>: the slope of the reference's normalised curve ln N_B/ln n against
/// ln l_B/ln l_max (<see cref="BoxDimensionFit.Normalised"/>);</item>
/// <item><see cref="BoxDimension"/>: d_B of the exact box cover, the log-log fit over the merges that leave between
/// max(2, 0.2 %·n) and 10 %·n boxes (<see cref="BoxDimensionFit.BoxCountWindow"/>), with its R²;</item>
/// <item><see cref="SrateBoxDimension"/>: d_B of Srate's approximate curve N_B(l) over the same window.</item>
/// </list>
/// The box cover and its fits work in the node matrix's <see cref="Precision"/> (float64 stays float64). S and the Srate
/// d_B are computed in float32 whatever the input (<see cref="SratePrecision"/>), as the reference computes them, so S
/// matches the reference to float32 rounding. <see cref="Depth"/> is the layer's position in [0, 1] (0 = first
/// hooked layer, 1 = last), so architectures of different depth share an x axis. A value that could not be measured
/// (too few nodes, all nodes identical, too few points in the fit window) is NaN and <see cref="Note"/> says why.
/// <code>var rows = LayerMeasures.Survey(model, NodeMatrix.ProbeBatch(test));   // one row per hook point</code>
/// </summary>
public sealed record LayerMeasures(string Architecture, string Layer, int Index, int Layers, int Nodes, int Samples,
    string Precision, double S,
    double NormalisedSlope, double NormalisedSlopeLow, double NormalisedSlopeHigh,
    double BoxDimension, double BoxDimensionLow, double BoxDimensionHigh, double FitRSquared,
    double SrateBoxDimension, double SrateBoxDimensionLow, double SrateBoxDimensionHigh,
    string? Note = null)
{
    /// <summary>The precision S and the Srate d_B are computed in: float32, the reference's, for every input.</summary>
    public const string SrateDtype = "float32";

    /// <summary>TwoNN dimension of the nodes as points (Facco et al. 2017; <see cref="TwoNn"/>), null where it could not be measured.</summary>
    public Estimate? NodeTwoNn { get; init; }
    /// <summary>Correlation dimension of the nodes from Srate's pair fraction (<see cref="CorrelationDimension"/>), null where unmeasured.</summary>
    public Estimate? NodeCorrelationDimension { get; init; }
    /// <summary>TwoNN dimension of the probe samples as points (Ansuini et al. 2019's view), null where unmeasured.</summary>
    public Estimate? SampleTwoNn { get; init; }
    /// <summary>Power-law α of the layer's weight spectrum (<see cref="WeightSpectra.OfModule"/>); NaN without a model or a matrix.</summary>
    public double WeightAlpha { get; init; } = double.NaN;

    /// <summary>Index / (Layers − 1): 0 for the first hooked layer, 1 for the last.</summary>
    public double Depth => Layers > 1 ? (double)Index / (Layers - 1) : 0;

    /// <summary>The precision of <see cref="S"/> and <see cref="SrateBoxDimension"/>: always <see cref="SrateDtype"/>.</summary>
    public string SratePrecision => SrateDtype;

    /// <summary>
    /// The measures of node matrix <paramref name="m"/> (named by its layer). <paramref name="architecture"/>,
    /// <paramref name="index"/> and <paramref name="layers"/> place it in a model (see <see cref="Survey(HookedModel, Tensor,
    /// IEnumerable{string}?, int)"/>). Degenerate layers give NaN and a note; NaN or Inf activations throw.
    /// </summary>
    public static LayerMeasures Of(NodeMatrix m, string architecture = "", int index = 0, int layers = 1,
        int scales = Srate.DefaultScales) => OfWithCurves(m, architecture, index, layers, scales).Row;

    /// <summary><see cref="Of"/>, also returning the exact box cover and the Srate result behind the row (for plotting
    /// the curves); either is null when it could not be computed.</summary>
    public static (LayerMeasures Row, BoxCoverResult? Cover, SrateResult? Srate) OfWithCurves(NodeMatrix m,
        string architecture = "", int index = 0, int layers = 1, int scales = Srate.DefaultScales)
    {
        if (m is null) throw new SelfSimException("LayerMeasures.Of: the node matrix is null. Capture one with NodeMatrix.Capture.");
        string who = architecture.Length > 0 ? $"{architecture}/{m.Name}" : m.Name;
        Srate.ValidateFeatures(m.Features, $"LayerMeasures ({who})", 1);
        double s = double.NaN, slope = double.NaN, slopeLo = double.NaN, slopeHi = double.NaN;
        double dB = double.NaN, lo = double.NaN, hi = double.NaN, r2 = double.NaN;
        double sdB = double.NaN, sLo = double.NaN, sHi = double.NaN;
        var notes = new List<string>();
        SrateResult? srate = null;
        BoxCoverResult? cover = null;
        try
        {
            using var _ = no_grad();
            using var x32 = m.Features.dtype == ScalarType.Float32 ? m.Features.detach() : m.Features.detach().to(ScalarType.Float32);
            srate = Srate.Measure(x32, scales);
            srate.Rate.Dispose();
            s = srate.S;
            try
            {
                var fit = BoxCurveFits.Srate(srate);
                sdB = fit.Dimension; sLo = fit.Lower; sHi = fit.Upper;
            }
            catch (SelfSimException e) { notes.Add("Srate d_B: " + e.Message); }
        }
        catch (SelfSimException e) { notes.Add("S: " + e.Message); }
        try
        {
            cover = BoxCover.Compute(m.Features);
            try
            {
                var fit = BoxDimensionFit.LogLogByBoxes(cover);
                dB = fit.Dimension; lo = fit.Lower; hi = fit.Upper; r2 = fit.RSquared;
            }
            catch (SelfSimException e) { notes.Add("d_B: " + e.Message); }
            try
            {
                var nf = BoxDimensionFit.Normalised(cover);
                slope = nf.Slope;
                (slopeLo, slopeHi, _) = BoxCurveFits.NormalisedSlopeInterval(nf);
            }
            catch (SelfSimException e) { notes.Add("normalised fit: " + e.Message); }
        }
        catch (SelfSimException e) { notes.Add("box cover: " + e.Message); }
        var (nodeTwoNn, nodeCorr, sampleTwoNn) = Dimensions(m, srate, notes);
        var row = new LayerMeasures(architecture, m.Name, index, layers, m.Nodes, m.Samples, m.Precision, s,
            slope, slopeLo, slopeHi, dB, lo, hi, r2, sdB, sLo, sHi, notes.Count == 0 ? null : string.Join(" ", notes))
            { NodeTwoNn = nodeTwoNn, NodeCorrelationDimension = nodeCorr, SampleTwoNn = sampleTwoNn };
        return (row, cover, srate);
    }

    /// <summary>TwoNN and correlation dimension of the nodes, TwoNN of the samples; a failure becomes null and a note.
    /// The nodes' correlation dimension reuses <paramref name="srate"/> unless duplicate nodes had to be set aside.</summary>
    static (Estimate?, Estimate?, Estimate?) Dimensions(NodeMatrix m, SrateResult? srate, List<string> notes)
    {
        Estimate? nodeTwoNn = null, nodeCorr = null, sampleTwoNn = null;
        try
        {
            using var nodes = PointCloud.Of(m, PointView.Nodes);
            nodeTwoNn = TwoNn.Measure(nodes).Dimension;
            try
            {
                nodeCorr = (srate is not null && nodes.Duplicates == 0
                    ? CorrelationDimension.FromSrate(srate) : CorrelationDimension.Measure(nodes)).Dimension;
            }
            catch (SelfSimException e) { notes.Add("node correlation dimension: " + e.Message); }
        }
        catch (SelfSimException e) { notes.Add("node TwoNN: " + e.Message); }
        try
        {
            using var samples = PointCloud.Of(m, PointView.Samples);
            sampleTwoNn = TwoNn.Measure(samples).Dimension;
        }
        catch (SelfSimException e) { notes.Add("sample TwoNN: " + e.Message); }
        return (nodeTwoNn, nodeCorr, sampleTwoNn);
    }

    /// <summary>The measures of every node matrix of <paramref name="matrices"/>, in order (index i of Count).</summary>
    public static IReadOnlyList<LayerMeasures> Survey(IReadOnlyList<NodeMatrix> matrices, string architecture = "",
        int scales = Srate.DefaultScales) =>
        matrices.Select((m, i) => Of(m, architecture, i, matrices.Count, scales)).ToList();

    /// <summary>
    /// The measures of each layer in <paramref name="layers"/> (default: the model's hook points) for one forward pass of
    /// <paramref name="probe"/> (normalised images [B, C, H, W], e.g. <see cref="NodeMatrix.ProbeBatch"/>), captured by
    /// <see cref="NodeMatrix.Capture(HookedModel, Tensor, IEnumerable{string}?)"/> in eval mode without gradients; the
    /// model's train/eval mode is restored.
    /// </summary>
    public static IReadOnlyList<LayerMeasures> Survey(HookedModel model, Tensor probe, IEnumerable<string>? layers = null,
        int scales = Srate.DefaultScales)
    {
        if (model is null) throw new SelfSimException("LayerMeasures.Survey: the model is null.");
        if (probe is null || probe.dim() != 4)
            throw new SelfSimException("LayerMeasures.Survey needs a probe batch of images [B, C, H, W]; got " +
                (probe is null ? "null" : "[" + string.Join(", ", probe.shape) + "]") + ". Use NodeMatrix.ProbeBatch(data).");
        var captured = NodeMatrix.Capture(model, probe, layers);
        try
        {
            return Survey(captured, model.Architecture, scales)
                .Select(r => r with { WeightAlpha = WeightSpectra.OfModule(model.HookModule(r.Layer), r.Layer)?.Alpha ?? double.NaN })
                .ToList();
        }
        finally { foreach (var m in captured) m.Dispose(); }
    }

    /// <summary>A row saved before the record had <see cref="Precision"/>, the slope interval and the Srate d_B (the
    /// earlier per-layer record): the missing values become NaN, the precision float32 (what that version measured in),
    /// and the note says so. Rows that have them are returned unchanged.</summary>
    public LayerMeasures UpgradedFromEarlierFormat() => Precision is not null ? this : this with
    {
        Precision = SrateDtype,
        NormalisedSlopeLow = double.NaN, NormalisedSlopeHigh = double.NaN,
        SrateBoxDimension = double.NaN, SrateBoxDimensionLow = double.NaN, SrateBoxDimensionHigh = double.NaN,
        Note = (Note is null ? "" : Note + " ") + "Saved by an earlier version: no slope interval or Srate d_B.",
    };
}
