using System;
using System.IO;
using System.Linq;
using SelfSim.Cli.Notebooks;
using Xunit;

namespace SelfSim.Tests.Runner;

/// <summary>`selfsim run`'s preflight: it answers in seconds, stops only for what would make the run fail, and names
/// each missing optional thing once with its cost.</summary>
public sealed class RunPreflightTests : IDisposable
{
    readonly string _tmp = Path.Combine(Path.GetTempPath(), "selfsim-preflight-" + Guid.NewGuid().ToString("N")[..8]);
    public RunPreflightTests() => Directory.CreateDirectory(_tmp);
    public void Dispose() { try { Directory.Delete(_tmp, true); } catch (IOException) { } }

    static bool DataOverridden => !string.IsNullOrWhiteSpace(Environment.GetEnvironmentVariable(DataPaths.EnvironmentVariable));

    string Notebook(string dir, string code)
    {
        Directory.CreateDirectory(dir);
        var nb = Path.Combine(dir, "01-x.ipynb");
        new NotebookBuilder().Code(code).Build().Save(nb);
        return nb;
    }

    [Fact]
    public void A_checkout_with_writable_outputs_passes_in_well_under_a_second()
    {
        var nb = Notebook(Path.Combine(RepoPaths.Root, "out", "preflight-" + Guid.NewGuid().ToString("N")[..8]), "1");
        try
        {
            var report = RunPreflight.Check(new[] { nb }, new[] { Path.Combine(_tmp, "a"), Path.Combine(_tmp, "b", "c") });
            Assert.True(report.Ok, string.Join("\n", report.Errors));
            Assert.Contains("MNIST", report.Checked);
            Assert.Contains("outputs writable", report.Checked);
            Assert.True(report.Elapsed < TimeSpan.FromSeconds(5), $"{report.Elapsed.TotalSeconds:F1} s");
            Assert.True(Directory.Exists(Path.Combine(_tmp, "b", "c")));
            Assert.Empty(Directory.GetFiles(Path.Combine(_tmp, "b", "c")));   // the probe file is gone
            // Chromium: either checked, or one note with its cost
            Assert.Equal(StaticFigureExporter.FindChromium() == null, report.Notes.Contains(StaticFigureExporter.MissingCost));
            Assert.Equal(StaticFigureExporter.FindChromium() != null, report.Checked.Contains("Chromium"));
        }
        finally { Directory.Delete(Path.GetDirectoryName(nb)!, true); }
    }

    [Fact]
    public void An_output_folder_that_cannot_be_made_stops_the_run_naming_it()
    {
        var file = Path.Combine(_tmp, "a-file");
        File.WriteAllText(file, "x");
        var nb = Notebook(Path.Combine(_tmp, "nbs"), "1");
        var report = RunPreflight.Check(new[] { nb }, new[] { Path.Combine(file, "out") });
        Assert.False(report.Ok);
        Assert.Contains(report.Errors, e => e.StartsWith($"output folder {Path.Combine(file, "out")} is not writable", StringComparison.Ordinal)
                                            && e.Contains("--out"));
    }

    [Fact]
    public void Data_that_is_a_Git_LFS_pointer_or_missing_stops_the_run_with_the_fetch_command()
    {
        if (DataOverridden) return;   // $SELFSIM_DATA points elsewhere: this tree's data/ would not be read
        var root = Path.Combine(_tmp, "checkout");
        Directory.CreateDirectory(Path.Combine(root, "data", "mnist"));
        File.WriteAllText(Path.Combine(root, "global.json"), "{}");
        File.WriteAllText(Path.Combine(root, "data", "mnist", "train-images-idx3-ubyte.gz"),
            "version https://git-lfs.github.com/spec/v1\noid sha256:0b36\nsize 9912422\n");
        var nb = Notebook(Path.Combine(root, "notebooks"), "1");
        var report = RunPreflight.Check(new[] { nb }, new[] { Path.Combine(_tmp, "o") });
        Assert.False(report.Ok);
        Assert.Contains(report.Errors, e => e.Contains("train-images-idx3-ubyte.gz is not gzip") && e.Contains("selfsim data fetch mnist"));
        Assert.Contains(report.Errors, e => e.Contains("t10k-labels-idx1-ubyte.gz is missing"));
        Assert.Equal(4, report.Errors.Count);
    }

    [Fact]
    public void A_package_not_yet_in_the_NuGet_cache_is_a_note_not_an_error()
    {
        var nb = Notebook(Path.Combine(RepoPaths.Root, "out", "preflight-" + Guid.NewGuid().ToString("N")[..8]),
            "#r \"nuget: NoSuch.Package.Anywhere, 9.9.9\"\n#r \"nuget: Plotly.NET, 6.0.0\"");
        try
        {
            var report = RunPreflight.Check(new[] { nb }, new[] { Path.Combine(_tmp, "o") });
            Assert.True(report.Ok, string.Join("\n", report.Errors));
            var note = Assert.Single(report.Notes, n => n.StartsWith("NuGet packages not yet cached", StringComparison.Ordinal));
            Assert.Contains("NoSuch.Package.Anywhere 9.9.9", note);
            Assert.DoesNotContain("Plotly.NET 6.0.0", note);   // restored by this build
        }
        finally { Directory.Delete(Path.GetDirectoryName(nb)!, true); }
    }
}
