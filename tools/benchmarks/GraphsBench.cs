using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Threading;

namespace SelfSim.Benchmarks;

/// <summary>
/// `graphs`: time and memory of GC, MEMB and CBB box covering on (2,2)-flowers of generations 5..8 and on
/// Barabási–Albert graphs of 1e4 and 1e5 nodes, and of the power-law fit (words.txt; 1e5 samples with 1000 bootstraps).
/// Anchors (kenkoooo/graph-sketch-fractality MEMB, plfit) are quoted from runs on this machine unless built locally.
/// Flags: --quick (skip the largest cases), --bootstraps K (default 1000), --max-gen G (default 8).
/// </summary>
public sealed class GraphsBench : IBenchSuite
{
    public string Name => "graphs";
    public string Description => "Box covering (GC, MEMB, CBB) on flowers and BA graphs; power-law fit and bootstrap.";

    const double AnchorMembGen8Seconds = 14.9, AnchorMembGen8Mb = 114, AnchorPlfitWordsMs = 13;

    sealed record Row(string Case, string Method, string Sizes, double Seconds, double CpuSeconds, double PeakHeapMb, double PeakRssMb, string Result, string Anchor);

    public void Run(string[] args)
    {
        bool quick = args.Contains("--quick");
        bool anchorsOnly = args.Contains("--anchors"); // only the rows that have an anchor: gen-8 MEMB and the power laws
        int boots = Arg(args, "--bootstraps", 1000);
        int maxGen = Arg(args, "--max-gen", quick ? 7 : 8);
        var rows = new List<Row>();
        Console.WriteLine($"{Environment.ProcessorCount} logical cores; sizes l_B = 2r+1 for r = 1, 2, 4, … (the flower's exact sizes; kenkoooo -rad_analytical uses the same radii).");

        // External anchors are optional and found only where the user points: SELFSIM_BOXCOVER (kenkoooo's box_cover
        // binary) and SELFSIM_PLFIT (the plfit binary). Without them the quoted anchor timings are used.
        string? boxCover = Environment.GetEnvironmentVariable("SELFSIM_BOXCOVER") is { } bc && File.Exists(bc) ? bc : null;
        for (int gen = anchorsOnly ? 8 : 5; gen <= maxGen; gen++)
        {
            var g = FlowerGraph.Create(2, 2, gen);
            var sizes = BoxSizes.Radial(GraphBfs.DiameterLowerBound(g));
            var opt = FlowerGraph.OptimalBoxCounts(2, 2, gen).ToDictionary(o => o.BoxSize, o => o.Boxes);
            if (gen == 8)
            {
                // kenkoooo's MEMB stores every ball (114 MB at generation 8 implies radii up to ~16): compare on r ≤ 16.
                var small = sizes.Where(l => l <= 33).ToArray();
                var (res0, sec0, cpu0, heap0, rss0) = Measure(() => Cover("memb", g, small, 1));
                int exact0 = res0.BoxSizes.Count(l => opt.TryGetValue(l, out var nb) && res0.CountAt(l) == nb);
                rows.Add(new Row($"flower(2,2) gen {gen} ({g.NodeCount} nodes)", "memb", Short(small), sec0, cpu0, heap0, rss0, $"N_B {Counts(res0)}; exact at {exact0}/{res0.BoxSizes.Length} sizes",
                    $"anchor {AnchorMembGen8Seconds} s / {AnchorMembGen8Mb} MB (quoted, radii unknown) → {AnchorMembGen8Seconds / sec0:F1}× by wall, {AnchorMembGen8Seconds / cpu0:F1}× by cpu"));
                Print(rows[^1]);
                if (boxCover != null)
                    foreach (var (ls, rmax) in new[] { (small, 17), (sizes, sizes[^1] / 2 + 1) })
                    {
                        var a = BoxCoverAnchor(boxCover, g.NodeCount, rmax);
                        rows.Add(new Row($"flower(2,2) gen {gen} ({g.NodeCount} nodes)", "kenkoooo memb (anchor)", Short(ls), a.Wall, a.Cpu, double.NaN, a.PeakRssMb, "N_B " + a.Sizes,
                            "built here: -type=gen -method=memb -rad_analytical -rad_max=" + rmax));
                        Print(rows[^1]);
                    }
            }
            if (anchorsOnly && gen == 8)
            {
                var (res8, sec8, cpu8, heap8, rss8) = Measure(() => Cover("memb", g, sizes, 1));
                rows.Add(new Row($"flower(2,2) gen {gen} ({g.NodeCount} nodes)", "memb", Short(sizes), sec8, cpu8, heap8, rss8, $"N_B {Counts(res8)}", ""));
                Print(rows[^1]);
                continue;
            }
            foreach (var m in new[] { "memb", "gc", "cbb" })
            {
                var (res, sec, cpu, heap, rss) = Measure(() => Cover(m, g, sizes, restarts: gen >= 8 ? 1 : 2));
                int exact = res.BoxSizes.Count(l => opt.TryGetValue(l, out var nb) && res.CountAt(l) == nb);
                var fit = TryFit(res);
                string anchor = gen == 8 && m == "memb" ? $"anchor {AnchorMembGen8Seconds} s / {AnchorMembGen8Mb} MB (quoted, radii unknown) → {AnchorMembGen8Seconds / sec:F2}× by wall, {AnchorMembGen8Seconds / cpu:F2}× by cpu" : "";
                rows.Add(new Row($"flower(2,2) gen {gen} ({g.NodeCount} nodes)", m, Short(sizes), sec, cpu, heap, rss, $"N_B exact at {exact}/{res.BoxSizes.Length} sizes; d_B {fit}", anchor));
                Print(rows[^1]);
            }
        }
        foreach (var (n, sizes) in anchorsOnly ? Array.Empty<(int, int[])>() : quick ? new[] { (10_000, new[] { 3, 5, 9 }) } : new[] { (10_000, new[] { 3, 5, 9 }), (100_000, new[] { 3, 5 }) })
        {
            var g = BarabasiAlbertGraph.Create(n, 2, seed: 1);
            foreach (var m in new[] { "memb", "gc", "cbb" })
            {
                var s = m == "memb" ? sizes : sizes.Prepend(2).ToArray();
                var (res, sec, cpu, heap, rss) = Measure(() => Cover(m, g, s, restarts: 1));
                rows.Add(new Row($"BA n={n} m=2", m, Short(res.BoxSizes), sec, cpu, heap, rss, "N_B " + string.Join(" ", res.BoxSizes.Zip(res.BoxCounts, (l, c) => $"{l}:{c}")), ""));
                Print(rows[^1]);
            }
        }

        // Power laws.
        var words = PowerLawFitter.ReadData(FindFixture("words.txt"));
        PowerLawFitter.Fit(words); // warm up
        var times = new List<double>();
        PowerLawFit wf = null!;
        for (int i = 0; i < 21; i++) { var sw = Stopwatch.StartNew(); wf = PowerLawFitter.Fit(words); times.Add(sw.Elapsed.TotalMilliseconds); }
        times.Sort();
        double med = times[times.Count / 2];
        string? plfit = Environment.GetEnvironmentVariable("SELFSIM_PLFIT") is { } pf && File.Exists(pf) ? pf : null;
        string wordsAnchor = $"plfit {AnchorPlfitWordsMs} ms (quoted; alpha 1.9527 xmin 7) → {AnchorPlfitWordsMs / med:F1}× faster";
        if (plfit != null)
        {
            var runs = Enumerable.Range(0, 11).Select(_ => External(plfit, "-b " + Quote(FindFixture("words.txt")))).ToList();
            var cpus = runs.Select(r => r.Cpu).OrderBy(v => v).ToList();
            var walls = runs.Select(r => r.Wall).OrderBy(v => v).ToList();
            wordsAnchor = $"plfit built here: process {walls[5] * 1000:F0} ms wall / {cpus[5] * 1000:F0} ms cpu incl. start-up (median of 11; quoted fit 13 ms) → {AnchorPlfitWordsMs / med:F1}× vs quoted; output: {runs[0].Output.Trim()}";
        }
        rows.Add(new Row("words.txt (18855)", "powerlaw fit (median of 21)", "discrete", med / 1000, double.NaN, double.NaN, double.NaN,
            $"alpha {wf.Alpha:F4} xmin {wf.Xmin} D {wf.KsDistance:F5}", wordsAnchor));
        Print(rows[^1]);

        var rng = new Random(42);
        var law = new PowerLawFit(true, 2.5, 0, 1, 1, 1, 0, 0, 0, 50, true, null);
        var sampler = new PowerLawBootstrap.Sampler(law);
        var big = Enumerable.Range(0, 100_000).Select(_ => sampler.Draw(rng)).ToArray();
        var (bf, bsec, bcpu, bheap, brss) = Measure(() => PowerLawFitter.Fit(big));
        rows.Add(new Row("1e5 discrete samples, alpha 2.5", "powerlaw fit", "", bsec, bcpu, bheap, brss, $"alpha {bf.Alpha:F4} ± {bf.AlphaStdError:F4} xmin {bf.Xmin}", ""));
        Print(rows[^1]);
        var (gof, gsec, gcpu, gheap, grss) = Measure(() => PowerLawBootstrap.Run(big, bf, boots, seed: 1));
        string bootAnchor = "";
        if (plfit != null)
        {
            // plfit -p exact runs ⌈0.25/ε²⌉ replicates: ε = 0.5/√boots gives the same count, on the same samples.
            var file = Path.Combine(Path.GetTempPath(), "selfsim-bench-pl1e5.txt");
            File.WriteAllLines(file, big.Select(v => v.ToString("R", System.Globalization.CultureInfo.InvariantCulture)));
            double eps = 0.5 / Math.Sqrt(boots) * 0.99999;
            var r = External(plfit, $"-b -p exact -e {eps.ToString("R", System.Globalization.CultureInfo.InvariantCulture)} -s 1 {Quote(file)}");
            bootAnchor = $"plfit built here, same samples: {r.Wall:F2} s wall / {r.Cpu:F2} s cpu → {r.Wall / gsec:F1}× by wall, {r.Cpu / gcpu:F1}× by cpu; output: {r.Output.Trim()}";
            var fitOnly = External(plfit, "-b " + Quote(file));
            rows.Add(new Row("1e5 discrete samples, alpha 2.5", "plfit fit (anchor)", "", fitOnly.Wall, fitOnly.Cpu, double.NaN, double.NaN, fitOnly.Output.Trim(), "process incl. start-up"));
        }
        rows.Add(new Row("1e5 discrete samples, alpha 2.5", $"bootstrap ×{boots}", "parallel", gsec, gcpu, gheap, grss, $"p = {gof.P:F3}", bootAnchor));
        Print(rows[^1]);

        Console.WriteLine();
        Console.WriteLine("Wall time depends on what else runs (this machine is shared); CPU time is the process's own, all threads.");
        Console.WriteLine($"| case | method | l_B | wall (s) | cpu (s) | peak heap (MB) | peak RSS (MB) | result | anchor |");
        Console.WriteLine($"|---|---|---|---:|---:|---:|---:|---|---|");
        foreach (var r in rows)
            Console.WriteLine($"| {r.Case} | {r.Method} | {r.Sizes} | {r.Seconds:F3} | {F3(r.CpuSeconds)} | {F(r.PeakHeapMb)} | {F(r.PeakRssMb)} | {r.Result} | {r.Anchor} |");
    }

    static string F(double v) => double.IsNaN(v) ? "" : v.ToString("F0");
    static string F3(double v) => double.IsNaN(v) ? "" : v.ToString("F3");
    static string Short(int[] s) => s.Length <= 4 ? string.Join(",", s) : $"{s[0]},{s[1]},…,{s[^1]} ({s.Length})";

    static string TryFit(GraphBoxCoverResult r)
    {
        try { var f = r.FitDimension(); return $"{f.Dimension.Value:F2} [{f.Dimension.Lower:F2}, {f.Dimension.Upper:F2}]"; }
        catch (SelfSimException) { return "n/a"; }
    }

    static GraphBoxCoverResult Cover(string m, CsrGraph g, int[] sizes, int restarts) => GraphBoxCover.Run(m, g, sizes, restarts);

    static void Print(Row r) => Console.WriteLine($"{r.Case,-34} {r.Method,-14} {r.Seconds,9:F3} s (cpu {F3(r.CpuSeconds)} s)  heap {F(r.PeakHeapMb),5} MB  rss {F(r.PeakRssMb),5} MB  {r.Result}  {r.Anchor}");

    static (T Result, double Seconds, double Cpu, double PeakHeapMb, double PeakRssMb) Measure<T>(Func<T> f)
    {
        GC.Collect(); GC.WaitForPendingFinalizers(); GC.Collect();
        long peakHeap = GC.GetTotalMemory(false), peakRss = 0;
        var proc = Process.GetCurrentProcess();
        using var stop = new ManualResetEventSlim();
        var sampler = new Thread(() =>
        {
            while (!stop.IsSet)
            {
                peakHeap = Math.Max(peakHeap, GC.GetTotalMemory(false));
                proc.Refresh();
                peakRss = Math.Max(peakRss, proc.WorkingSet64);
                stop.Wait(5);
            }
        })
        { IsBackground = true };
        sampler.Start();
        proc.Refresh();
        var cpu0 = proc.TotalProcessorTime;
        var sw = Stopwatch.StartNew();
        var res = f();
        double sec = sw.Elapsed.TotalSeconds;
        stop.Set(); sampler.Join();
        proc.Refresh();
        double cpu = (proc.TotalProcessorTime - cpu0).TotalSeconds;
        peakRss = Math.Max(peakRss, proc.WorkingSet64);
        return (res, sec, cpu, peakHeap / 1048576.0, peakRss / 1048576.0);
    }

    static string Counts(GraphBoxCoverResult r) => string.Join(" ", r.BoxSizes.Zip(r.BoxCounts, (l, c) => $"{l}:{c}"));

    /// <summary>kenkoooo/graph-sketch-fractality box_cover on its own (2,2)-flower generator; N_B read from its jlog JSON.</summary>
    static (double Wall, double Cpu, double PeakRssMb, string Sizes) BoxCoverAnchor(string exe, int nodes, int radMax)
    {
        var dir = Path.Combine(Path.GetTempPath(), "selfsim-anchor-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(dir);
        try
        {
            bool timed = File.Exists("/usr/bin/time");
            string args = $"-type=gen \"-graph=flower {nodes} 2 2\" -method=memb -rad_analytical -rad_max={radMax}";
            var psi = new ProcessStartInfo(timed ? "/usr/bin/time" : exe, timed ? $"-f \"%U %S %M\" {Quote(exe)} {args}" : args)
            { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false, WorkingDirectory = dir };
            var sw = Stopwatch.StartNew();
            using var p = Process.Start(psi)!;
            var o = p.StandardOutput.ReadToEndAsync(); var e = p.StandardError.ReadToEndAsync();
            p.WaitForExit();
            double wall = sw.Elapsed.TotalSeconds;
            // /usr/bin/time's line comes last (box_cover's own last log line may lack a newline): take the last 3 tokens.
            var last = (e.Result.Trim().Split('\n').LastOrDefault() ?? "").Split(' ', StringSplitOptions.RemoveEmptyEntries).TakeLast(3).ToArray();
            double cpu = double.NaN, rss = double.NaN;
            var inv = System.Globalization.CultureInfo.InvariantCulture;
            if (last.Length == 3 && double.TryParse(last[0], System.Globalization.NumberStyles.Float, inv, out var u) && double.TryParse(last[1], System.Globalization.NumberStyles.Float, inv, out var sy)
                && double.TryParse(last[2], System.Globalization.NumberStyles.Float, inv, out var kb)) { cpu = u + sy; rss = kb / 1024; }
            string sizes = "?";
            var json = Directory.Exists(Path.Combine(dir, "jlog")) ? Directory.GetFiles(Path.Combine(dir, "jlog"), "*", SearchOption.AllDirectories).OrderBy(f => File.GetLastWriteTimeUtc(f)).LastOrDefault() : null;
            if (json != null)
            {
                var text = File.ReadAllText(json);
                var m = System.Text.RegularExpressions.Regex.Match(text, "\"size\"\\s*:\\s*\\[([^\\]]*)\\]");
                var rm = System.Text.RegularExpressions.Regex.Match(text, "\"radius\"\\s*:\\s*\\[([^\\]]*)\\]");
                if (m.Success && rm.Success)
                {
                    var nb = m.Groups[1].Value.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
                    var rr = rm.Groups[1].Value.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
                    sizes = string.Join(" ", rr.Zip(nb, (r, c) => $"{2 * int.Parse(r, inv) + 1}:{c}"));
                }
                else sizes = text.Length > 200 ? text[..200] : text;
            }
            return (wall, cpu, rss, sizes);
        }
        finally { try { Directory.Delete(dir, true); } catch (IOException) { } }
    }

    static string Quote(string p) => "\"" + p + "\"";

    /// <summary>Runs an anchor binary under /usr/bin/time to get its own CPU time (user + system).</summary>
    static (double Wall, double Cpu, string Output) External(string exe, string args)
    {
        bool timed = File.Exists("/usr/bin/time");
        var psi = new ProcessStartInfo(timed ? "/usr/bin/time" : exe, timed ? $"-f \"%U %S\" {Quote(exe)} {args}" : args)
        { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        var sw = Stopwatch.StartNew();
        using var p = Process.Start(psi)!;
        var outTask = p.StandardOutput.ReadToEndAsync();
        var errTask = p.StandardError.ReadToEndAsync();
        p.WaitForExit();
        double wall = sw.Elapsed.TotalSeconds;
        string err = errTask.Result, output = outTask.Result;
        double cpu = double.NaN;
        var last = (err.Trim().Split('\n').LastOrDefault() ?? "").Split(' ', StringSplitOptions.RemoveEmptyEntries).TakeLast(2).ToArray();
        if (timed && last is { Length: 2 } && double.TryParse(last[0], System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out var u)
            && double.TryParse(last[1], System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out var sy)) cpu = u + sy;
        return (wall, cpu, output.Replace('\n', ' ').Replace('\t', ' '));
    }

    static int Arg(string[] a, string name, int dflt)
    {
        int i = Array.IndexOf(a, name);
        return i >= 0 && i + 1 < a.Length && int.TryParse(a[i + 1], out var v) ? v : dflt;
    }

    static string FindFixture(string name)
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir != null && !File.Exists(Path.Combine(dir.FullName, "global.json"))) dir = dir.Parent;
        return Path.Combine(dir?.FullName ?? ".", "tests", "fixtures", "powerlaw", name);
    }
}
