using System;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Text;
using System.Text.Json;
using SelfSim.Cli;
using Xunit;

namespace SelfSim.Tests.Cli;

/// <summary>
/// Issue 25, through the real CLI (the root command Program builds, under the top-level error policy), with files and
/// values of its own: numbers read the same in every locale, headers decided by one rule, non-finite and negative
/// options refused at the option layer, parse errors as one line.
/// </summary>
[Collection("Console")]
public sealed class HostileInputCliTests : IDisposable
{
    readonly string _dir = Path.Combine(Path.GetTempPath(), "selfsim-hostile-" + Guid.NewGuid().ToString("N")[..8]);
    public HostileInputCliTests() => Directory.CreateDirectory(_dir);
    public void Dispose() { try { Directory.Delete(_dir, true); } catch (IOException) { } }

    string P(string name) => Path.Combine(_dir, name);

    /// <summary>A 40×24 feature CSV with a plain first row (seeded), so S is well defined.</summary>
    string Features(string name, string? header = null)
    {
        var rng = new Random(41);
        var sb = new StringBuilder();
        if (header is not null) sb.Append(header).Append('\n');
        for (int i = 0; i < 40; i++)
            sb.Append(string.Join(",", Enumerable.Range(0, 24).Select(_ => (rng.NextDouble() * 3 - 1).ToString("R", CultureInfo.InvariantCulture)))).Append('\n');
        File.WriteAllText(P(name), sb.ToString());
        return P(name);
    }

    static JsonElement Json((int Code, string Out, string Err) r)
    {
        Assert.True(r.Code == 0, r.Err + r.Out);
        return JsonDocument.Parse(r.Out).RootElement;
    }

    static T InCulture<T>(string culture, Func<T> f)
    {
        var (c, u) = (CultureInfo.CurrentCulture, CultureInfo.CurrentUICulture);
        CultureInfo.CurrentCulture = CultureInfo.CurrentUICulture = new CultureInfo(culture);
        try { return f(); }
        finally { (CultureInfo.CurrentCulture, CultureInfo.CurrentUICulture) = (c, u); }
    }

    // ---- class 1: one invariant-culture rule ----

    [Theory]
    [InlineData("de-DE")]
    [InlineData("fr-FR")]
    [InlineData("ru-RU")]
    [InlineData("pt-BR")]
    public void A_decimal_point_option_reads_the_same_in_every_locale(string culture)
    {
        var f = Features("f.csv");
        var j = InCulture(culture, () => Json(InProcessCli.Run("srate", "--features", f, "--target", "0.45", "--json")));
        Assert.Equal(0.45, j.GetProperty("target").GetDouble());
        double s = j.GetProperty("srate").GetDouble();
        Assert.Equal(0.5 * (s - 0.45) * (s - 0.45), j.GetProperty("loss").GetDouble(), 5);
        // a decimal comma is refused, never read as 45
        InCulture(culture, () => InProcessCli.Refused(InProcessCli.Run("srate", "--features", f, "--target", "0,45", "--json"), "--target '0,45'", "decimal point"));
    }

    [Fact]
    public void Text_output_prints_a_decimal_point_under_a_comma_locale()
    {
        var f = Features("g.csv");
        var r = InCulture("de-DE", () => InProcessCli.Run("srate", "--features", f, "--target", "0.45"));
        Assert.Equal(0, r.Code);
        Assert.Matches(@"\d\.\d", r.Out);
        Assert.DoesNotMatch(@"\d,\d{3}\b", r.Out);
    }

    // ---- class 2: one header rule ----

    [Fact]
    public void Pandas_numeric_header_is_a_header_with_a_warning_and_header_no_keeps_it_as_data()
    {
        var plain = Json(InProcessCli.Run("srate", "--features", Features("plain.csv"), "--json"));
        var withHeader = InProcessCli.Run("srate", "--features", Features("pandas.csv", string.Join(",", Enumerable.Range(0, 24))), "--json");
        var j = Json(withHeader);
        Assert.Equal(40, j.GetProperty("nodes").GetInt32());
        Assert.Equal(plain.GetProperty("srate").GetDouble(), j.GetProperty("srate").GetDouble());
        Assert.Contains("pandas' default header", withHeader.Err);
        Assert.Contains("--header no", withHeader.Err);
        Assert.Equal(41, Json(InProcessCli.Run("srate", "--features", P("pandas.csv"), "--header", "no", "--json")).GetProperty("nodes").GetInt32());
    }

    [Theory]
    [InlineData("\"2,500\"")]
    [InlineData("0x2A")]
    [InlineData("7_500")]
    public void A_number_like_first_row_is_refused_not_dropped(string cell)
    {
        File.WriteAllText(P("odd.csv"), $"{cell},1.5,2\n3,4.5,5\n6,7,8.5\n9,1,2\n");
        InProcessCli.Refused(InProcessCli.Run("boxcover", "--features", P("odd.csv"), "--json"), "line 1", "--header yes");
    }

    [Fact]
    public void Edge_list_under_a_pandas_header_keeps_its_path()
    {
        File.WriteAllText(P("path.csv"), "0,1\n20,21\n21,22\n22,23\n23,24\n");
        var r = InProcessCli.Run("graph", "degrees", "--edges", P("path.csv"), "--json");
        var j = Json(r);
        Assert.Equal(5, j.GetProperty("nodes").GetInt32());
        Assert.Equal(4, j.GetProperty("edges").GetInt32());
        Assert.Contains("warning:", r.Err);
        Assert.Equal(7, Json(InProcessCli.Run("graph", "degrees", "--edges", P("path.csv"), "--header", "no", "--json")).GetProperty("nodes").GetInt32());
        InProcessCli.Refused(InProcessCli.Run("graph", "degrees", "--edges", P("path.csv"), "--header", "maybe"), "--header 'maybe'");
    }

    // ---- class 4: non-finite and negative options, at the option layer ----

    [Theory]
    [InlineData("train", "--label-smoothing", "nan")]
    [InlineData("train", "--change-limit", "-Infinity")]
    [InlineData("train", "--train-limit", "-3")]
    [InlineData("train", "--lr", "∞")]
    [InlineData("checkpoint", "--probe", "-2")]
    [InlineData("srate", "--scales", "-9")]
    [InlineData("powerlaw", "--scale", "NaN")]
    public void Non_finite_or_negative_numbers_are_refused_in_one_line(string command, string option, string value)
    {
        var args = command switch
        {
            "train" => new[] { "train", "--out", P("run"), option, value },
            "checkpoint" => new[] { "checkpoint", "--weights", P("w.pt"), "--model", "mlp", option, value },
            "srate" => new[] { "srate", "--features", P("none.csv"), option, value },
            _ => new[] { "powerlaw", "--data", P("none.txt"), option, value },
        };
        InProcessCli.Refused(InProcessCli.Run(args), option);
        Assert.False(Directory.Exists(P("run")));   // refused before anything was made
    }

    [Fact]
    public void Every_numeric_option_carries_the_guard()
    {
        static System.Collections.Generic.IEnumerable<System.CommandLine.Command> All(System.CommandLine.Command c) => c.Subcommands.SelectMany(All).Prepend(c);
        var numeric = All(CliRoot.Create()).SelectMany(c => c.Options).Where(CliNumbers.IsNumeric).ToArray();
        Assert.True(numeric.Length > 20, $"{numeric.Length} numeric options");
        Assert.All(numeric, o => Assert.NotEmpty(o.Validators));
        // a seed may be negative (CliNumbers.MayBeNegative)
        Assert.Equal(0, InProcessCli.Run("graph", "boxcover", "--generator", "flower:2,2,3", "--seed", "-4", "--json").Code);
    }

    // ---- magnitudes: one magnitude-safe path for distances ----

    /// <summary>The 40×24 rows of <see cref="Features"/> times <paramref name="scale"/> (plus <paramref name="offset"/>), as a CSV.</summary>
    string Scaled(string name, double scale, double offset = 0)
    {
        var rows = File.ReadAllLines(Features(name + ".base.csv"));
        File.WriteAllLines(P(name), rows.Select(r => string.Join(",", r.Split(',').Select(v =>
            (double.Parse(v, CultureInfo.InvariantCulture) * scale + offset).ToString("R", CultureInfo.InvariantCulture)))));
        return P(name);
    }

    [Fact]
    public void Srate_of_rows_a_billion_times_smaller_follows_the_float64_definition()
    {
        // before: S(1e-9·x) came out near 0.97 (float32's 1 + l rounded every scale to 0)
        var tiny = Json(InProcessCli.Run("srate", "--features", Scaled("tiny.csv", 1e-9), "--json")).GetProperty("srate").GetDouble();
        var tinier = Json(InProcessCli.Run("srate", "--features", Scaled("tinier.csv", 1e-13), "--json")).GetProperty("srate").GetDouble();
        using var x = NodeMatrix.Load(P("tiny.csv"));
        Assert.InRange(tiny - Srate.Measure(x.Features, 256).S, -1e-4, 1e-4);
        Assert.InRange(tiny - tinier, -1e-4, 1e-4);
        Assert.InRange(tiny, 0.05, 0.6);
    }

    [Fact]
    public void Rows_of_magnitude_1e_minus_17_are_not_called_identical()
    {
        var r = InProcessCli.Run("srate", "--features", Scaled("e17.csv", 3e-17), "--json");
        Assert.True(double.IsFinite(Json(r).GetProperty("srate").GetDouble()), r.Err);
    }

    [Fact]
    public void Float32_features_near_1e20_give_one_line_naming_the_range_and_a_float64_file_is_measured()
    {
        var rng = new Random(8);
        var data = Enumerable.Range(0, 30 * 5).Select(_ => (float)(rng.NextDouble() * 4e20 - 2e20)).ToArray();
        NpyFile.Write(P("huge.npy"), data, 30, 5);
        InProcessCli.Refused(InProcessCli.Run("srate", "--features", P("huge.npy"), "--json"), "float32", "float64");
        File.WriteAllLines(P("huge.csv"), Enumerable.Range(0, 30).Select(i => string.Join(",",
            data.Skip(5 * i).Take(5).Select(v => ((double)v).ToString("R", CultureInfo.InvariantCulture)))));
        var r = InProcessCli.Run("srate", "--features", P("huge.csv"), "--json");
        var j = Json(r);
        Assert.Equal("float64", j.GetProperty("precision").GetString());
        Assert.True(double.IsFinite(j.GetProperty("srate").GetDouble()));
        Assert.Contains("float64", r.Err);
    }

    [Fact]
    public void A_compact_float64_npy_header_is_reported_as_float64()
    {
        var header = "{'descr':'<f8','fortran_order':False,'shape':(4,3)}";
        header += new string(' ', 63 - (10 + header.Length) % 64) + "\n";
        using (var f = File.Create(P("compact.npy")))
        {
            f.Write(new byte[] { 0x93, (byte)'N', (byte)'U', (byte)'M', (byte)'P', (byte)'Y', 1, 0 });
            f.Write(BitConverter.GetBytes((ushort)header.Length));
            f.Write(Encoding.Latin1.GetBytes(header));
            foreach (var v in new[] { 0.0, 1, 2, 5, 1, 0, 2, 2, 9, 1, 1, 3 }) f.Write(BitConverter.GetBytes(v));
        }
        Assert.Equal("float64", Json(InProcessCli.Run("boxcover", "--features", P("compact.npy"), "--json")).GetProperty("precision").GetString());
    }

    [Fact]
    public void A_large_common_offset_gives_the_box_cover_of_the_centred_data()
    {
        var centred = Json(InProcessCli.Run("boxcover", "--features", Scaled("c.csv", 1), "--json"));
        var shifted = Json(InProcessCli.Run("boxcover", "--features", Scaled("s.csv", 1, 2.5e6), "--json"));
        Assert.Equal(centred.GetProperty("boxCounts").ToString(), shifted.GetProperty("boxCounts").ToString());
        var a = centred.GetProperty("boxSizes").EnumerateArray().Select(e => e.GetDouble()).ToArray();
        var b = shifted.GetProperty("boxSizes").EnumerateArray().Select(e => e.GetDouble()).ToArray();
        Assert.Equal(a.Length, b.Length);
        for (int i = 0; i < a.Length; i++) Assert.True(Math.Abs(a[i] - b[i]) <= 1e-9 * a[i], $"l_B {a[i]:R} vs {b[i]:R}");
    }

    // ---- sizes and signals ----

    [Theory]
    [InlineData("flower:2,2,12", "11,184,812")]
    [InlineData("lattice:7000,7000", "49,000,000")]
    [InlineData("torus:3000,3000", "9,000,000")]
    [InlineData("flower:2,3,40", "nodes")]
    public void A_generator_too_large_to_cover_is_refused_before_it_is_built(string spec, string count)
    {
        var watch = System.Diagnostics.Stopwatch.StartNew();
        InProcessCli.Refused(InProcessCli.Run("graph", "boxcover", "--generator", spec, "--json"), spec, count, "2,000,000");
        Assert.True(watch.Elapsed.TotalSeconds < 20, $"{watch.Elapsed.TotalSeconds:F1} s: it was built first");
    }

    [Fact]
    public void Powerlaw_searches_xmin_in_a_range_and_refuses_a_bad_one()
    {
        var rng = new Random(12);
        File.WriteAllLines(P("pl.txt"), Enumerable.Range(0, 4000).Select(_ =>
            (2.0 * Math.Pow(1 - rng.NextDouble(), -1 / 1.6)).ToString("R", CultureInfo.InvariantCulture)));
        var j = Json(InProcessCli.Run("powerlaw", "--data", P("pl.txt"), "--continuous", "--xmin-range", "3,9", "--json"));
        Assert.InRange(j.GetProperty("xmin").GetDouble(), 3, 9);
        Assert.InRange(j.GetProperty("alpha").GetDouble(), 2.3, 2.9);
        InProcessCli.Refused(InProcessCli.Run("powerlaw", "--data", P("pl.txt"), "--xmin-range", "9,3"), "xmin range");
        InProcessCli.Refused(InProcessCli.Run("powerlaw", "--data", P("pl.txt"), "--xmin-range", "3;9"), "--xmin-range '3;9'");
        InProcessCli.Refused(InProcessCli.Run("powerlaw", "--data", P("pl.txt"), "--xmin-range", "1e9,2e9"), "widen the xmin range");
    }

    [Fact]
    public void Dead_units_that_tie_at_zero_make_the_threshold_fraction_warn()
    {
        var rng = new Random(5);
        File.WriteAllLines(P("dead.csv"), Enumerable.Range(0, 60).Select(i => string.Join(",",
            Enumerable.Range(0, 8).Select(_ => (i < 30 ? 0 : rng.NextDouble() + 0.1).ToString("R", CultureInfo.InvariantCulture)))));
        var r = InProcessCli.Run("graph", "boxcover", "--features", P("dead.csv"), "--threshold-fraction", "0.05", "--json");
        var j = Json(r);
        Assert.Contains("--threshold-fraction 0.05 asked for 5.0 % of the pairs as edges, but 24.6 % are", r.Err);
        Assert.Contains("30 rows are all zero", r.Err);
        Assert.Equal(30 * 29 / 2, j.GetProperty("edges").GetInt32());
        Assert.Equal(435.0 / 1770, j.GetProperty("features").GetProperty("edgeFraction").GetDouble(), 12);
        // live rows only: no ties, no warning, the fraction asked for
        File.WriteAllLines(P("live.csv"), File.ReadAllLines(P("dead.csv")).Skip(30));
        var live = InProcessCli.Run("graph", "boxcover", "--features", P("live.csv"), "--threshold-fraction", "0.05", "--json");
        Assert.DoesNotContain("asked for", live.Err);
        Assert.InRange(Json(live).GetProperty("features").GetProperty("edgeFraction").GetDouble(), 0.05, 0.05 + 1.0 / 435);
    }

    [Fact]
    public void Checkpoint_probe_minus_five_is_one_line_not_an_internal_error()
    {
        InProcessCli.Refused(InProcessCli.Run("checkpoint", "--weights", P("w.pt"), "--model", "mlp", "--probe", "-5"), "--probe");
    }

    // ---- parse errors: one line on stderr, no help on stdout ----

    [Fact]
    public void A_parse_error_is_one_selfsim_line_with_no_help_on_stdout()
    {
        var r = InProcessCli.Run("srate", "--features", P("x.csv"), "--no-such-option");
        InProcessCli.Refused(r, "--no-such-option", "selfsim srate --help");
        Assert.Equal("", r.Out);
        var missing = InProcessCli.Run("boxcover");
        InProcessCli.Refused(missing, "--features");
        Assert.Equal("", missing.Out);
    }

    // ---- class 5: one output guard for every writer (refused before any kernel starts) ----

    string Notebook(string rel)
    {
        var path = P(rel);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, "{\"nbformat\": 4, \"nbformat_minor\": 5, \"metadata\": {}, \"cells\": []}");
        return path;
    }

    [Fact]
    public void Run_refuses_a_summary_over_its_input_notebook()
    {
        var nb = Notebook("chapter.ipynb");
        var before = File.ReadAllText(nb);
        InProcessCli.Refused(InProcessCli.Run("run", nb, "--summary", nb, "--out", P("o")), "--summary", "input");
        Assert.Equal(before, File.ReadAllText(nb));
    }

    [Fact]
    public void Run_refuses_an_out_folder_that_is_the_source_folder()
    {
        Notebook("src/alpha.ipynb"); Notebook("src/beta.ipynb");
        InProcessCli.Refused(InProcessCli.Run("run", P("src"), "--out", P("src")), "--out", "input");
    }

    [Fact]
    public void Run_refuses_two_inputs_with_one_name_into_one_out()
    {
        var a = Notebook("left/same.ipynb"); var b = Notebook("right/same.ipynb");
        InProcessCli.Refused(InProcessCli.Run("run", a, b, "--out", P("merged")), "would both be written");
    }

    [Fact]
    public void Figures_render_refuses_an_output_that_is_a_link()
    {
        File.WriteAllText(P("fig.html"), "<html></html>");
        File.WriteAllText(P("elsewhere.svg"), "keep");
        File.CreateSymbolicLink(P("fig.svg"), P("elsewhere.svg"));
        var many = new[] { (P("fig.html"), P("fig.svg")) };
        Assert.Contains("symbolic link", Assert.Throws<SelfSimException>(() => OutputGuard.Many(many, "figures render")).Message);
        Assert.Equal("keep", File.ReadAllText(P("elsewhere.svg")));
    }
}
