using System;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Text;
using System.Text.Json;
using SelfSim.Cli;
using SelfSim.Tests.Measures;
using Xunit;

namespace SelfSim.Tests.Cli;

/// <summary>
/// Issue 14, case by case, through the real CLI (the root command Program builds, under the top-level error policy):
/// nothing lost, nothing silently wrong. Every refusal is one line on stderr and exit code 1.
/// </summary>
[Collection("Console")]
public sealed class GuardCliTests : IDisposable
{
    readonly string _dir = Path.Combine(Path.GetTempPath(), "selfsim-guards-" + Guid.NewGuid().ToString("N")[..8]);
    public GuardCliTests() => Directory.CreateDirectory(_dir);
    public void Dispose() { try { Directory.Delete(_dir, true); } catch (IOException) { } }

    string P(string name) => Path.Combine(_dir, name);

    static double SrateOf((int Code, string Out, string Err) r)
    {
        Assert.True(r.Code == 0, r.Err);
        using var doc = JsonDocument.Parse(r.Out);
        return doc.RootElement.GetProperty("srate").GetDouble();
    }

    // ---- a tiny MNIST-shaped data folder, so training tests take a second, not the 60,000-image load ----

    string TinyMnist(string name = "data", byte badLabel = 0, int badAt = -1)
    {
        var root = P(name);
        var dir = Path.Combine(root, "mnist");
        Directory.CreateDirectory(dir);
        var rng = new Random(5);
        foreach (var (prefix, n) in new[] { ("train", 64), ("t10k", 32) })
        {
            var images = new byte[n * 28 * 28];
            var labels = new byte[n];
            for (int i = 0; i < n; i++)
            {
                labels[i] = (byte)(i % 10);
                for (int p = 0; p < 28 * 28; p++) images[i * 784 + p] = (byte)(p % 28 < 3 * labels[i] ? 200 : rng.Next(40));
            }
            if (badAt >= 0 && prefix == "train") labels[badAt] = badLabel;
            File.WriteAllBytes(Path.Combine(dir, $"{prefix}-images-idx3-ubyte"), Idx(images, n, 28, 28));
            File.WriteAllBytes(Path.Combine(dir, $"{prefix}-labels-idx1-ubyte"), Idx(labels, n));
        }
        return root;
    }

    static byte[] Idx(byte[] data, params int[] dims)
    {
        var ms = new MemoryStream();
        ms.Write(new byte[] { 0, 0, 0x08, (byte)dims.Length });
        foreach (var d in dims) ms.Write(new[] { (byte)(d >> 24), (byte)(d >> 16), (byte)(d >> 8), (byte)d });
        ms.Write(data);
        return ms.ToArray();
    }

    string[] Train(string data, string outDir, params string[] extra) =>
        ["train", "--model", "mlp", "--dataset", "mnist", "--batch-size", "16", "--device", "cpu", "--plain",
         "--threads", "1", "--data", data, "--out", outDir, .. extra.Contains("--epochs") ? extra : ["--epochs", "1", .. extra]];

    string Features(string name = "f.npy")
    {
        var c = ReferenceFixture.Case("clusters-n96-d32-s2");
        var path = P(name);
        NpyFile.Write(path, c.X, c.N, c.D);
        return path;
    }

    // ---- 1. an output can overwrite its own input ----

    [Fact]
    public void Output_that_is_one_of_the_inputs_is_refused_even_through_a_symlink()
    {
        var f = Features();
        var before = File.ReadAllBytes(f);
        InProcessCli.Refused(InProcessCli.Run("srate", "--features", f, "--gradient", f), "--gradient", "is the input", "Choose another output path");
        var link = P("link.npy");
        File.CreateSymbolicLink(link, f);
        InProcessCli.Refused(InProcessCli.Run("srate", "--features", f, "--gradient", link), "is the input");
        InProcessCli.Refused(InProcessCli.Run("srate", "--features", link, "--gradient", Path.Combine(_dir, ".", "f.npy")), "is the input");
        Assert.Equal(before, File.ReadAllBytes(f));
        // A different path still works and writes the gradient.
        Assert.Equal(0, InProcessCli.Run("srate", "--features", f, "--gradient", P("g.npy"), "--json").Code);
        Assert.True(File.Exists(P("g.npy")));
    }

    // ---- 2. rerunning train on a finished folder wipes it; 3. two runs on one folder ----

    [Fact]
    public void Rerunning_a_finished_run_is_refused_naming_resume_and_overwrite_replaces_it()
    {
        var data = TinyMnist();
        var run = P("run");
        Assert.Equal(0, InProcessCli.Run(Train(data, run)).Code);
        var metrics = File.ReadAllBytes(Path.Combine(run, RunLog.JsonName));
        var ckpt = File.ReadAllBytes(Path.Combine(run, TrainingCheckpoint.FileName));

        InProcessCli.Refused(InProcessCli.Run(Train(data, run)), "holds a finished run (1 epochs of mlp on mnist", "--resume", "--overwrite");
        Assert.Equal(metrics, File.ReadAllBytes(Path.Combine(run, RunLog.JsonName)));
        Assert.Equal(ckpt, File.ReadAllBytes(Path.Combine(run, TrainingCheckpoint.FileName)));
        InProcessCli.Refused(InProcessCli.Run(Train(data, run, "--resume", "--overwrite")), "give only one of them");

        var again = InProcessCli.Run(Train(data, run, "--overwrite", "--seed", "1"));
        Assert.True(again.Code == 0, again.Err);
        Assert.Equal(1, RunLog.Read(run).Options.Seed);
        Assert.False(File.Exists(Path.Combine(run, RunFolderLock.FileName)));   // the lock is released
    }

    [Fact]
    public void A_run_folder_in_use_is_refused_naming_the_holder_and_a_stale_lock_is_taken_over()
    {
        var data = TinyMnist();
        var run = P("busy");
        using (RunFolderLock.Acquire(run, "selfsim train (test)"))
        {
            var line = InProcessCli.Refused(InProcessCli.Run(Train(data, run)), "is in use by", $"pid {Environment.ProcessId} on {Environment.MachineName}", "selfsim train (test)");
            Assert.Contains("UTC", line);
        }
        // A lock left by a process that no longer runs (kill -9): its owner file stays, the OS lock is gone.
        File.WriteAllText(Path.Combine(run, RunFolderLock.OwnerFileName),
            JsonSerializer.Serialize(new RunFolderLock.Holder(int.MaxValue - 7, Environment.MachineName, new DateTime(2026, 1, 2, 3, 4, 5, DateTimeKind.Utc), "selfsim train")));
        var r = InProcessCli.Run(Train(data, run));
        Assert.True(r.Code == 0, r.Err);
        Assert.Contains($"took over a stale lock on '{run}' left by pid {int.MaxValue - 7}", r.Err);
        Assert.Contains("is no longer running", r.Err);
        Assert.Equal("completed", RunLog.Read(run).Status);
    }

    // ---- 4. --resume accepts changed settings ----

    [Fact]
    public void Resume_with_changed_settings_names_each_difference()
    {
        var data = TinyMnist();
        var run = P("run");
        Assert.Equal(0, InProcessCli.Run(Train(data, run, "--epochs", "2", "--warmup-epochs", "1")).Code);
        var metrics = File.ReadAllText(Path.Combine(run, RunLog.JsonName));
        var line = InProcessCli.Refused(InProcessCli.Run(Train(data, run, "--epochs", "2", "--resume", "--weight-decay", "0.1", "--label-smoothing", "0",
                                     "--warmup-epochs", "0", "--augment", "true", "--test-limit", "16")),
            "--weight-decay 0.05 → 0.1", "--label-smoothing 0.1 → 0", "--warmup-epochs 1 → 0", "--augment default → on", "--test-limit 0 → 16",
            "Resume with the original settings");
        Assert.DoesNotContain("--threads", line);
        Assert.Equal(metrics, File.ReadAllText(Path.Combine(run, RunLog.JsonName)));
        // Where the data lives (and the device and threads that compute it) may change.
        var ok = InProcessCli.Run(Train(TinyMnist("moved"), run, "--epochs", "2", "--warmup-epochs", "1", "--resume"));
        Assert.True(ok.Code == 0, ok.Err);
    }

    // ---- 5. the checkpoint has no checksum; 7a. truncated, empty or corrupted checkpoint ----

    [Fact]
    public void A_changed_truncated_or_empty_checkpoint_is_one_clear_line()
    {
        var data = TinyMnist();
        var run = P("run");
        Assert.Equal(0, InProcessCli.Run(Train(data, run, "--epochs", "2")).Code);
        var path = Path.Combine(run, TrainingCheckpoint.FileName);
        var good = File.ReadAllBytes(path);
        var resume = Train(data, run, "--epochs", "2", "--resume");

        var flipped = (byte[])good.Clone();
        for (int i = 0; i < 20; i++) flipped[good.Length / 2 + 97 * i] ^= 0x5a;   // twenty bytes in the weights
        File.WriteAllBytes(path, flipped);
        InProcessCli.Refused(InProcessCli.Run(resume), "is corrupted", "SHA-256", "--overwrite");

        File.WriteAllBytes(path, good[..(good.Length / 3)]);
        InProcessCli.Refused(InProcessCli.Run(resume), "is truncated", "end seal is missing");

        File.WriteAllBytes(path, Array.Empty<byte>());
        InProcessCli.Refused(InProcessCli.Run(resume), "is empty (0 bytes)");

        File.WriteAllBytes(path, Encoding.UTF8.GetBytes("not a checkpoint at all, but long enough to hold a seal if it had one"));
        InProcessCli.Refused(InProcessCli.Run(resume), "is not a selfsim checkpoint");

        File.WriteAllBytes(path, good);
        var ok = InProcessCli.Run(resume);
        Assert.True(ok.Code == 0, ok.Err);
        Assert.Equal(good, File.ReadAllBytes(path));   // resumed at the end: nothing to train, nothing rewritten
    }

    // ---- 7c. a full disk loses the finished epoch's metrics row and leaves the status "running" ----

    [Fact]
    public void A_full_disk_keeps_the_last_good_checkpoint_and_marks_the_run_failed()
    {
        var data = TinyMnist();
        var name = "full-" + Guid.NewGuid().ToString("N")[..6];
        var run = P(name);
        WriteFaults.Reset();
        Environment.SetEnvironmentVariable(WriteFaults.EnvironmentVariable, $"{name}/{TrainingCheckpoint.FileName}=nospace@2");
        (int Code, string Out, string Err) r;
        try { r = InProcessCli.Run(Train(data, run, "--epochs", "2")); }
        finally { Environment.SetEnvironmentVariable(WriteFaults.EnvironmentVariable, null); }
        InProcessCli.Refused(r, "Could not save epoch 1", "the disk is full", "the checkpoint of epoch 0 is kept", "--resume");

        var report = RunLog.Read(run);
        Assert.Equal("failed", report.Status);
        Assert.Contains("the disk is full", report.Message);
        Assert.Equal(2, report.Epochs.Count);                      // the finished epoch's row is not lost
        Assert.Equal(3, File.ReadAllLines(Path.Combine(run, RunLog.CsvName)).Length);
        Assert.Equal(0, TrainingCheckpoint.ReadState(Path.Combine(run, TrainingCheckpoint.FileName)).Epoch);   // sealed and whole
        Assert.Empty(Directory.GetFiles(run, "*.tmp"));

        var resumed = InProcessCli.Run(Train(data, run, "--epochs", "2", "--resume"));   // space is back
        Assert.True(resumed.Code == 0, resumed.Err);
        Assert.Equal("completed", RunLog.Read(run).Status);
    }

    // ---- 7b. --out is a file or an unwritable folder; 7d. --gradient names a folder ----

    [Fact]
    public void Out_that_is_a_file_or_unwritable_and_gradient_that_is_a_folder_are_one_line()
    {
        var data = TinyMnist();
        File.WriteAllText(P("afile"), "x");
        InProcessCli.Refused(InProcessCli.Run(Train(data, P("afile"))), "--out", "is a file, not a folder");
        InProcessCli.Refused(InProcessCli.Run(Train(data, Path.Combine(P("afile"), "sub"))), "--out", "cannot be created or written");

        var name = "ro-" + Guid.NewGuid().ToString("N")[..6];
        Environment.SetEnvironmentVariable(WriteFaults.EnvironmentVariable, $"{name}=denied");
        try { InProcessCli.Refused(InProcessCli.Run(Train(data, P(name))), "--out", "permission denied", "Choose a folder you can write to"); }
        finally { Environment.SetEnvironmentVariable(WriteFaults.EnvironmentVariable, null); }

        var f = Features();
        Directory.CreateDirectory(P("gdir"));
        InProcessCli.Refused(InProcessCli.Run("srate", "--features", f, "--gradient", P("gdir")), "--gradient", "is a folder", Path.Combine(P("gdir"), "gradient.npy"));
    }

    // ---- 7e. an IDX label above the class count crashes torch natively ----

    [Fact]
    public void An_idx_label_above_the_class_count_is_a_clear_error()
    {
        var data = TinyMnist("bad", badLabel: 12, badAt: 5);
        InProcessCli.Refused(InProcessCli.Run(Train(data, P("run"))), "train-labels-idx1-ubyte", "label 5 is 12", "classes 0–9", "selfsim data fetch mnist");
    }

    // ---- 6. readers that produce wrong data silently ----

    [Fact]
    public void Csv_pandas_index_column_is_dropped_with_a_warning_and_S_is_unchanged()
    {
        var c = ReferenceFixture.Case("clusters-n96-d32-s2");
        double s = SrateOf(InProcessCli.Run("srate", "--features", Features(), "--json"));
        string Row(int i) => string.Join(",", Enumerable.Range(0, c.D).Select(j => c.X[i * c.D + j].ToString("R", CultureInfo.InvariantCulture)));
        // pandas: pd.DataFrame(x).to_csv(path): an empty first header cell, column names 0..d-1, the index first.
        File.WriteAllLines(P("pandas.csv"), new[] { "," + string.Join(",", Enumerable.Range(0, c.D)) }
            .Concat(Enumerable.Range(0, c.N).Select(i => $"{i},{Row(i)}")));
        var r = InProcessCli.Run("srate", "--features", P("pandas.csv"), "--json");
        Assert.Equal(s, SrateOf(r));
        Assert.Contains("pandas index", r.Err);
        Assert.Contains("index=False", r.Err);
        // Read as a sample (no header to tell), the index column changes S: what the issue saw (0.191 became 0.122).
        File.WriteAllLines(P("noheader.csv"), Enumerable.Range(0, c.N).Select(i => $"{i},{Row(i)}"));
        Assert.True(Math.Abs(SrateOf(InProcessCli.Run("srate", "--features", P("noheader.csv"), "--json")) - s) > 0.01);
        // pd.read_csv(...).to_csv(path): "Unnamed: 0"; and a named index column 0..n-1.
        File.WriteAllLines(P("unnamed.csv"), new[] { "Unnamed: 0," + string.Join(",", Enumerable.Range(0, c.D).Select(j => $"s{j}")) }
            .Concat(Enumerable.Range(0, c.N).Select(i => $"{i},{Row(i)}")));
        Assert.Equal(s, SrateOf(InProcessCli.Run("srate", "--features", P("unnamed.csv"), "--json")));
        File.WriteAllLines(P("named.csv"), new[] { "node," + string.Join(",", Enumerable.Range(0, c.D).Select(j => $"s{j}")) }
            .Concat(Enumerable.Range(0, c.N).Select(i => $"{i},{Row(i)}")));
        Assert.Equal(s, SrateOf(InProcessCli.Run("srate", "--features", P("named.csv"), "--json")));
    }

    [Fact]
    public void Csv_decimal_comma_label_column_and_unclosed_quote_are_refused_naming_the_line()
    {
        File.WriteAllText(P("comma.csv"), "0,548;0,715\n0,120;0,333\n0,9;0,1\n");
        InProcessCli.Refused(InProcessCli.Run("srate", "--features", P("comma.csv")), "line 1", "'0,548' has a decimal comma", "decimal='.'");
        File.WriteAllText(P("comma-blank.txt"), "0,548 0,715\n0,120 0,333\n0,9 0,1\n");
        InProcessCli.Refused(InProcessCli.Run("srate", "--features", P("comma-blank.txt")), "line 1", "'0,548' has a decimal comma");
        File.WriteAllText(P("label.csv"), "f1,f2,f3,species\n1,2,3,cat\n4,5,6,dog\n7,8,9,cat\n");
        InProcessCli.Refused(InProcessCli.Run("boxcover", "--features", P("label.csv")), "line 2, column 4 ('species')", "'cat' is not a number", "df.drop(columns=['species'])");
        File.WriteAllText(P("quote.csv"), "\"a\",\"b\"\n\"1,2\n3,4\n");
        InProcessCli.Refused(InProcessCli.Run("srate", "--features", P("quote.csv")), "line 2", "quote that is not closed");
    }

    [Fact]
    public void Csv_numeric_first_row_is_data_and_quoted_cells_are_read()
    {
        // A first row of inf or NA is data, not a header: the measure sees it (and refuses the non-finite value in row 0).
        File.WriteAllText(P("inf.csv"), "inf,1,2\n3,4,5\n6,7,9\n1,0,1\n");
        InProcessCli.Refused(InProcessCli.Run("srate", "--features", P("inf.csv")), "1 Inf", "first in node row 0");
        File.WriteAllText(P("na.csv"), "NA,1,2\n3,4,5\n6,7,9\n1,0,1\n");
        InProcessCli.Refused(InProcessCli.Run("srate", "--features", P("na.csv")), "1 NaN", "first in node row 0");
        // A first row of plain numbers is data too: four nodes.
        File.WriteAllText(P("plain.csv"), "0.5,1,2\n3,4,5\n6,7,9\n1,0,1\n");
        var plain = InProcessCli.Run("srate", "--features", P("plain.csv"), "--json");
        Assert.Equal(4, JsonDocument.Parse(plain.Out).RootElement.GetProperty("nodes").GetInt32());
        // RFC 4180 quoted cells (a quoted header with a comma, quoted numbers, "" inside a quote) read like plain ones.
        File.WriteAllText(P("quoted.csv"), "\"x, first\",\"y \"\"2\"\"\",z\n\"0.5\",\"1\",2\n3,\"4\",5\n\"6\",7,\"9\"\n1,0,\"1\"\n");
        Assert.Equal(SrateOf(plain), SrateOf(InProcessCli.Run("srate", "--features", P("quoted.csv"), "--json")));
        File.WriteAllText(P("trailing.csv"), "0.5,1,2,\n3,4,5,\n6,7,9,\n1,0,1,\n");
        Assert.Equal(SrateOf(plain), SrateOf(InProcessCli.Run("srate", "--features", P("trailing.csv"), "--json")));
    }

    [Fact]
    public void Powerlaw_data_refuses_several_numbers_per_line_and_reads_a_named_column()
    {
        var rng = new Random(3);
        var values = Enumerable.Range(0, 400).Select(_ => Math.Floor(2 * Math.Pow(1 - rng.NextDouble(), -1 / 1.5))).ToArray();
        File.WriteAllLines(P("one.txt"), values.Select(v => v.ToString(CultureInfo.InvariantCulture)));
        File.WriteAllLines(P("two.txt"), values.Select((v, i) => $"{i} {v.ToString(CultureInfo.InvariantCulture)}"));
        InProcessCli.Refused(InProcessCli.Run("powerlaw", "--data", P("two.txt")), "line 1", "holds 2 values", "one value per line", "--column NAME");

        File.WriteAllLines(P("deg.csv"), new[] { "node,degree" }.Concat(values.Select((v, i) => $"{i + 1},{v.ToString(CultureInfo.InvariantCulture)}")));
        var one = InProcessCli.Run("powerlaw", "--data", P("one.txt"), "--json");
        var col = InProcessCli.Run("powerlaw", "--data", P("deg.csv"), "--column", "degree", "--json");
        Assert.True(col.Code == 0, col.Err);
        double Alpha((int, string Out, string) r) => JsonDocument.Parse(r.Out).RootElement.GetProperty("alpha").GetDouble();
        Assert.Equal(Alpha(one), Alpha(col));
        Assert.InRange(Alpha(one), 2.2, 2.8);
        InProcessCli.Refused(InProcessCli.Run("powerlaw", "--data", P("deg.csv"), "--column", "deg"), "no column 'deg'", "'node', 'degree'");
    }

    [Fact]
    public void Edge_list_header_and_pandas_index_are_not_taken_as_edges()
    {
        // A 6-cycle; pandas' df.to_csv(path) adds a header and an index column, each of which used to become an edge.
        var pairs = new[] { (0, 1), (1, 2), (2, 3), (3, 4), (4, 5), (5, 0) };
        File.WriteAllLines(P("plain.txt"), pairs.Select(p => $"{p.Item1} {p.Item2}"));
        File.WriteAllLines(P("pandas.csv"), new[] { ",source,target" }.Concat(pairs.Select((p, i) => $"{i},{p.Item1},{p.Item2}")));
        File.WriteAllLines(P("header.csv"), new[] { "source,target" }.Concat(pairs.Select(p => $"{p.Item1},{p.Item2}")));
        string Graph(string f, out string err)
        {
            var r = InProcessCli.Run("graph", "boxcover", "--edges", f, "--method", "cbb", "--sizes", "2,3", "--json");
            Assert.True(r.Code == 0, r.Err);
            err = r.Err;
            var o = JsonDocument.Parse(r.Out).RootElement;
            return $"{o.GetProperty("nodes").GetInt32()} nodes, {o.GetProperty("edges").GetInt32()} edges";
        }
        Assert.Equal("6 nodes, 6 edges", Graph(P("plain.txt"), out _));
        Assert.Equal("6 nodes, 6 edges", Graph(P("pandas.csv"), out var e1));
        Assert.Contains("pandas index", e1);
        Assert.Equal("6 nodes, 6 edges", Graph(P("header.csv"), out var e2));
        Assert.Contains("is a header, not an edge", e2);
    }

    [Fact]
    public void Npy_whose_data_is_longer_or_shorter_than_its_header_is_refused()
    {
        var f = Features();
        var bytes = File.ReadAllBytes(f);
        File.WriteAllBytes(P("long.npy"), bytes.Concat(new byte[4 * 32]).ToArray());   // one more row than the header's (96, 32)
        InProcessCli.Refused(InProcessCli.Run("srate", "--features", P("long.npy")), "long.npy", "the header does not describe the data");
        File.WriteAllBytes(P("short.npy"), bytes[..^4]);
        InProcessCli.Refused(InProcessCli.Run("srate", "--features", P("short.npy")), "short.npy", "truncated");
    }

    // ---- 8. unbounded resources ----

    [Fact]
    public void Resource_limits_refuse_with_the_estimate_and_the_option_that_lowers_it()
    {
        var f = Features();
        InProcessCli.Refused(InProcessCli.Run("srate", "--features", f, "--scales", "2000000000"), "needs about", "GB of memory", "is available on this machine", "Lower --scales");
        Environment.SetEnvironmentVariable(ResourceLimits.LimitVariable, "1G");
        try { InProcessCli.Refused(InProcessCli.Run("srate", "--features", f, "--scales", "100000000"), "needs about", "1.0 GB is available", "Lower --scales"); }
        finally { Environment.SetEnvironmentVariable(ResourceLimits.LimitVariable, null); }

        InProcessCli.Refused(InProcessCli.Run("graph", "boxcover", "--generator", "er:100000000,0.5"), "er:100000000,0.5", "2.5E+15 edges", "Lower N or P");
        InProcessCli.Refused(InProcessCli.Run("graph", "boxcover", "--generator", "ba:100000000,40"), "ba:100000000,40", "Lower N or M");

        var wide = new float[20000 * 8];
        var rng = new Random(1);
        for (int i = 0; i < wide.Length; i++) wide[i] = (float)rng.NextDouble();
        NpyFile.Write(P("wide.npy"), wide, 20000, 8);
        InProcessCli.Refused(InProcessCli.Run("srate", "--features", P("wide.npy")), "20000 nodes exceed the CPU size limit of 16383 nodes", "Subsample the nodes");
        InProcessCli.Refused(InProcessCli.Run("boxcover", "--features", P("wide.npy")), "20000 nodes", "at most 16383 nodes");
    }

    // ---- 10. misleading messages ----

    [Fact]
    public void Non_finite_target_bad_confidence_and_negative_bootstrap_are_clear_errors()
    {
        var f = Features();
        InProcessCli.Refused(InProcessCli.Run("srate", "--features", f, "--target", "NaN", "--json"), "--target must be a finite number", "NaN");
        InProcessCli.Refused(InProcessCli.Run("srate", "--features", f, "--target", "Infinity"), "--target must be a finite number");
        InProcessCli.Refused(InProcessCli.Run("boxcover", "--features", f, "--confidence", "2"), "--confidence must lie strictly between 0 and 1", "got 2");
        InProcessCli.Refused(InProcessCli.Run("boxcover", "--features", f, "--confidence", "0"), "--confidence");
        File.WriteAllLines(P("v.txt"), Enumerable.Range(1, 200).Select(i => (1000 / i).ToString(CultureInfo.InvariantCulture)));
        InProcessCli.Refused(InProcessCli.Run("powerlaw", "--data", P("v.txt"), "--bootstrap", "-1"), "--bootstrap must be 0 or more", "got -1");   // the option layer (CliNumbers)
    }

    [Fact]
    public void A_notebook_whose_nbformat_is_a_string_is_named_with_the_fix()
    {
        var nb = P("str.ipynb");
        File.WriteAllText(nb, "{\"nbformat\": \"4\", \"nbformat_minor\": 5, \"metadata\": {}, \"cells\": []}");
        var e = Assert.Throws<InvalidDataException>(() => SelfSim.Cli.Notebooks.NotebookDocument.Load(nb));
        Assert.Contains(nb, e.Message);
        Assert.Contains("\"nbformat\" is \"4\", not a number", e.Message);
        var r = InProcessCli.Run("run", nb, "--out", P("out"), "--quiet");
        Assert.Equal(1, r.Code);
        Assert.Contains("\"nbformat\" is \"4\", not a number", r.Err);
        Assert.Contains("str.ipynb", r.Err);
    }

    // ---- 11. long runs without progress ----

    [Fact]
    public void Progress_goes_to_stderr_and_json_stdout_stays_clean()
    {
        var g = InProcessCli.Run("graph", "boxcover", "--generator", "flower:2,2,4", "--method", "gc", "--json", "--progress");
        Assert.True(g.Code == 0, g.Err);
        Assert.Equal(172, JsonDocument.Parse(g.Out).RootElement.GetProperty("nodes").GetInt32());   // stdout is one JSON document
        Assert.Contains("GC box covering of 172 nodes", g.Err);
        Assert.Contains("100%", g.Err);

        File.WriteAllLines(P("v.txt"), Enumerable.Range(1, 300).Select(i => (3000 / i).ToString(CultureInfo.InvariantCulture)));
        var p = InProcessCli.Run("powerlaw", "--data", P("v.txt"), "--bootstrap", "20", "--json", "--progress");
        Assert.True(p.Code == 0, p.Err);
        Assert.Equal(20, JsonDocument.Parse(p.Out).RootElement.GetProperty("bootstrap").GetInt32());
        Assert.Contains("bootstrap of 20 replicates", p.Err);
        Assert.Contains("power-law fit of 300 values (xmin scan)", p.Err);   // the fit itself reports too (10^7 values: a minute)
        // Without --progress and with stderr not a terminal (as under the test runner), nothing is drawn.
        var quiet = InProcessCli.Run("powerlaw", "--data", P("v.txt"), "--bootstrap", "20", "--json");
        Assert.Equal("", quiet.Err);
    }

    // ---- the top-level policy for what no command expects ----

    [Fact]
    public void Any_exception_becomes_one_line_naming_it_with_the_fix()
    {
        Assert.StartsWith("internal error: NullReferenceException", CliErrors.Describe(new NullReferenceException("boom")));
        Assert.Contains("SELFSIM_DEBUG=1", CliErrors.Describe(new NullReferenceException("boom")));
        Assert.Contains("the disk is full", CliErrors.Describe(new IOException("No space left on device", 28)));
        Assert.Contains("permission denied", CliErrors.Describe(new UnauthorizedAccessException("Access to the path '/x' is denied.")));
        Assert.Contains("out of memory", CliErrors.Describe(new OutOfMemoryException()));
    }

    [Fact]
    public void Experiment_cka_without_summarize_only_is_refused_before_training()
    {
        InProcessCli.Refused(InProcessCli.Run("experiment", "--cka", "--out", P("grid"), "--epochs", "1"), "--cka", "--summarize-only");
        Assert.False(Directory.Exists(Path.Combine(P("grid"), "mlp-mnist")));   // nothing trained
    }
}
