using System.Collections.Generic;
using System.Linq;
using System.Text;
using System.Text.Json.Nodes;

namespace SelfSim.Tests.Notebooks;

/// <summary>
/// What an executed notebook SHOWED: the text of its cell outputs (streams, text/plain, text/html, errors), never
/// its cells' source. A phrase that a cell's code prints is in the source too, so searching the whole notebook
/// cannot fail; searching the outputs fails when the cell did not run or printed something else.
/// </summary>
internal static class NotebookOutputs
{
    /// <summary>All output text of the notebook, cell by cell.</summary>
    public static string Text(JsonObject nb)
    {
        var sb = new StringBuilder();
        foreach (var cell in nb["cells"]!.AsArray().OfType<JsonObject>())
        {
            if (cell["outputs"] is not JsonArray outputs) continue;
            foreach (var o in outputs.OfType<JsonObject>())
            {
                sb.Append(KernelNotebookTests.Text(o["text"])).Append('\n');
                sb.Append((string?)o["evalue"]).Append('\n');
                if (o["data"] is JsonObject data)
                    foreach (var (_, value) in data)
                        if (value is JsonArray or JsonValue) sb.Append(KernelNotebookTests.Text(value)).Append('\n');
            }
        }
        return sb.ToString();
    }

    /// <summary>The phrases that no output of the notebook shows (empty when every one is shown).</summary>
    public static List<string> Missing(JsonObject nb, IEnumerable<string> phrases)
    {
        var text = Text(nb);
        // HTML tables escape a few characters; compare with the escaped and the plain form.
        var unescaped = System.Net.WebUtility.HtmlDecode(text);
        return phrases.Where(p => !text.Contains(p) && !unescaped.Contains(p)).ToList();
    }

    /// <summary>What each chapter's outputs must show at smoke size: its by-hand check against the library and
    /// the results its prose talks about. Both test paths (the in-process runner and nbconvert) check these.</summary>
    public static readonly IReadOnlyDictionary<string, string[]> Expected = new Dictionary<string, string[]>
    {
        ["00-tour"] = new[] { "by hand and DistanceArray", "Local slope of the exact curve" },
        ["01-feature-networks"] = new[] { "Five-node threshold graphs: by hand and NodeMatrix.ThresholdGraph",
            "0–1, 0–2, 1–2, 3–4", "Threshold graphs of the layer at five pair fractions" },
        ["02-box-covering"] = new[] { "The hand-built cover against BoxCover.Compute",
            "S by hand against Srate.Measure", "S_difference", "Per layer: S, normalised slope and d_B" },
        ["03-degree-distributions"] = new[] { "α̂ by hand and from PowerLawFitter.Fit",
            "Power-law fit of the feature-graph degrees", "Goodness of fit: bootstrap p" },
        ["04-architectures"] = new[] { "node matrix by hand and from Capture", "8×16×28×28",
            "Ranking by mean S (highest first):", "Range of the architecture means",
            "with a 95 % t interval (committed survey)", "F by hand = 3.096, SurveySeeds.Anova F(6, 14) = 3.096" },
        ["05-through-training"] = new[] { "Pearson r by hand and from the recorder", "probe measurements",
            "Probe S vs training-batch S, per (epoch, layer): Pearson r =" },
        ["06-constrained-training"] = new[] { "Gradient audit: one row per node matrix (smoke)",
            "The pre-registered decision rule (committed grid)", "Pipeline check: every run (smoke)" },
        ["08-your-own-model"] = new[] { "x_0(image 0) by hand =", "Capture: x_0(image 0) =",
            "picked by --layers auto", "S and d_B per block", "Per model: S and d_B over its measured layers",
            "subsamples of" },
        ["07-figures-for-papers"] = new[] { "Figure sizes by hand and as written", "Figures written" },
        ["09-beyond-s"] = new[] { "TwoNN by hand: d =", "MLE by hand at k = 20: m =",
            "Dimensions of 300 points on a plane in 3-D (true value 2): by hand and from the library",
            "Weight alpha of a 300 x 200 Gaussian matrix by hand and from WeightSpectra.Of",
            "Linear CKA of a 50 x 6 matrix by hand and from LinearCka.Of",
            "Spearman's rho between S and each measure", "Is S redundant with intrinsic dimension?",
            "d_B: rho per seed", "95 % t interval over seeds (committed survey)",
            "Mean CKA over layers against the same seed's baseline (committed grids)", "baseline vs next seed",
            "Did the constraint change the representations?" },
    };
}
