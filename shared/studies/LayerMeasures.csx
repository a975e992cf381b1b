#nullable enable
using System;
using System.Collections.Generic;
using System.Linq;
using System.Text.Json.Nodes;
using TorchSharp;
using static TorchSharp.torch;

// One row per layer of the measures the paper reports (Ding et al. 2025, arXiv 2507.17785, Sec. 3-4): Srate S, the
// reference's normalised box-covering slope, and the box dimension d_B from the exact cover and from Srate's curve.

/// <summary>
/// The self-similarity measures of one layer's node matrix, each with its 95 % interval (an <see cref="Estimate"/>) where it has one:
/// <list type="bullet">
/// <item><see cref="S"/>: Srate, the reference's approximate box-covering rate over 256 scales;</item>
/// <item><see cref="NormalisedSlope"/>: the slope of the reference's normalised curve ln N_B/ln n against
/// ln l_B/ln l_max (<see cref="BoxDimensionFitter.Normalised"/>);</item>
/// <item><see cref="BoxDimension"/>: d_B of the exact box cover, the log-log fit over the merges that leave between
/// max(2, 0.2 %·n) and 10 %·n boxes (<see cref="BoxDimensionFitter.BoxCountWindow"/>), with its R²;</item>
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
    string Precision, double S, Estimate NormalisedSlope, Estimate BoxDimension, double FitRSquared,
    Estimate SrateBoxDimension, string? Note = null)
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
        double s = double.NaN, r2 = double.NaN;
        Estimate slope = Unmeasured, dB = Unmeasured, sdB = Unmeasured;
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
                sdB = BoxDimensionFitter.LogLogByBoxes(srate).Dimension;
            }
            catch (SelfSimException e) { notes.Add("Srate d_B: " + e.Message); }
        }
        catch (SelfSimException e) { notes.Add("S: " + e.Message); }
        try
        {
            cover = BoxCover.Compute(m.Features);
            try
            {
                var fit = BoxDimensionFitter.LogLogByBoxes(cover);
                dB = fit.Dimension; r2 = fit.RSquared;
            }
            catch (SelfSimException e) { notes.Add("d_B: " + e.Message); }
            try
            {
                slope = BoxDimensionFitter.Normalised(cover).SlopeInterval();
            }
            catch (SelfSimException e) { notes.Add("normalised fit: " + e.Message); }
        }
        catch (SelfSimException e) { notes.Add("box cover: " + e.Message); }
        MergeSameFitNotes(notes);
        var (nodeTwoNn, nodeCorr, sampleTwoNn) = Dimensions(m, srate, notes);
        var row = new LayerMeasures(architecture, m.Name, index, layers, m.Nodes, m.Samples, m.Precision, s,
            slope, dB, r2, sdB, notes.Count == 0 ? null : string.Join(" ", notes))
        { NodeTwoNn = nodeTwoNn, NodeCorrelationDimension = nodeCorr, SampleTwoNn = sampleTwoNn };
        return (row, cover, srate);
    }

    // Both d_B fits fail with the same message when the window holds too few box counts: say it once.
    static void MergeSameFitNotes(List<string> notes)
    {
        int srateAt = notes.FindIndex(n => n.StartsWith("Srate d_B: ", StringComparison.Ordinal));
        if (srateAt < 0) return;
        string message = notes[srateAt]["Srate d_B: ".Length..];
        if (notes.Remove("d_B: " + message))
            notes[notes.IndexOf("Srate d_B: " + message)] = "d_B (exact cover and Srate's curve): " + message;
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

    /// <summary>A measure that could not be computed: NaN value, error and ends (the note says why).</summary>
    public static readonly Estimate Unmeasured = new(double.NaN, double.NaN, double.NaN, double.NaN);

    /// <summary>
    /// A row as saved in JSON (camelCase, <see cref="RunLog.Json"/>), in the current form or an earlier one. Earlier forms
    /// spelled each interval as three numbers (<c>boxDimension</c>, <c>boxDimensionLow</c>, <c>boxDimensionHigh</c>;
    /// likewise <c>normalisedSlope…</c> and <c>srateBoxDimension…</c>) and the first had no <c>precision</c>, slope
    /// interval or Srate d_B: those become NaN, the precision float32 (what that version measured in), and the note says
    /// so. <see cref="UpgradeJson"/> does the rewriting; a current row is read unchanged.
    /// </summary>
    public static LayerMeasures FromJson(JsonNode row) =>
        System.Text.Json.JsonSerializer.Deserialize<LayerMeasures>(UpgradeJson(row), RunLog.Json)
        ?? throw new SelfSimException("A saved layer row is null; delete the saved survey to measure again.");

    /// <summary>Rewrites one saved row (a JSON object) in place from an earlier form into the current one (see
    /// <see cref="FromJson"/>), and returns it.</summary>
    public static JsonNode UpgradeJson(JsonNode row)
    {
        if (row is not JsonObject o) throw new SelfSimException("A saved layer row is not a JSON object; delete the saved survey to measure again.");
        bool earliest = o["precision"] is null;
        foreach (var name in new[] { "normalisedSlope", "boxDimension", "srateBoxDimension" })
        {
            var node = o[name];
            if (node is JsonObject) continue;
            double value = Number(node), lo = Number(o[name + "Low"]), hi = Number(o[name + "High"]);
            o.Remove(name + "Low"); o.Remove(name + "High");
            o[name] = new JsonObject
            {
                ["value"] = Saved(value),
                ["stdError"] = Saved(double.NaN),
                ["lower"] = Saved(lo),
                ["upper"] = Saved(hi),
                ["level"] = 0.95,
            };
        }
        if (earliest)
        {
            o["precision"] = SrateDtype;
            string? note = o["note"]?.GetValue<string>();
            o["note"] = (note is null ? "" : note + " ") + "Saved by an earlier version: no slope interval or Srate d_B.";
        }
        return o;
    }

    // A number as RunLog.Json saves it: NaN and ±Infinity as strings.
    static JsonNode Saved(double d) => double.IsFinite(d)
        ? JsonValue.Create(d)
        : JsonValue.Create(d.ToString(System.Globalization.CultureInfo.InvariantCulture));

    // A saved number: a JSON number, "NaN"/"Infinity" (RunLog.Json writes those as strings), or absent (NaN).
    static double Number(JsonNode? n) => n switch
    {
        null => double.NaN,
        JsonValue v when v.TryGetValue(out double d) => d,
        JsonValue v when v.TryGetValue(out string? t) && double.TryParse(t, System.Globalization.NumberStyles.Float,
            System.Globalization.CultureInfo.InvariantCulture, out var d) => d,
        _ => double.NaN,
    };
}
