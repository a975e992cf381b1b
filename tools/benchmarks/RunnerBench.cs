using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Linq;
using SelfSim.Cli.Notebooks;

namespace SelfSim.Benchmarks;

/// <summary>
/// `selfsim run` cell overhead: what a notebook pays per cell beyond its own work (Roslyn compile of the submission,
/// chaining the script state, output capture and formatting). Goal: a trivial cell under 100 ms after warm-up.
/// </summary>
public sealed class RunnerBench : IBenchSuite
{
    public string Name => "runner";
    public string Description => "notebook runner: per-cell overhead after warm-up (goal < 100 ms), #load of shared/, chart formatting";

    public void Run(string[] args)
    {
        int trivial = args.Length > 0 && int.TryParse(args[0], out var n) ? n : 40;
        var root = FindRoot();
        var dir = Path.Combine(Path.GetTempPath(), "selfsim-bench-runner-" + Guid.NewGuid().ToString("N")[..8]);
        Directory.CreateDirectory(dir);
        try
        {
            var b = new NotebookBuilder()
                .Code(NotebookBuilder.PackageHeader())
                .Code($"#load \"{Path.Combine(root, "shared", "SelfSim.csx").Replace('\\', '/')}\"")
                .Code("var i = 0;");
            for (int k = 0; k < trivial; k++) b.Code("i++;");
            for (int k = 0; k < trivial; k++) b.Code("i");
            for (int k = 0; k < 10; k++)
                b.Code("Plotly.NET.CSharp.Chart.Point<double, double, string>(new[] { 1.0, 2, 3 }, new[] { 1.0, 4, 9 }, Name: \"c\")");
            var path = Path.Combine(dir, "bench.ipynb");
            b.Build().Save(path);

            var sw = Stopwatch.StartNew();
            NotebookRunResult result;
            var runner = new NotebookRunner(new RunSettings { Write = false });
            try { result = runner.RunAsync(path).GetAwaiter().GetResult(); }
            finally { runner.DisposeAsync().AsTask().GetAwaiter().GetResult(); }
            sw.Stop();
            if (!result.Succeeded) throw new InvalidOperationException(string.Join("; ", result.Failures.Select(f => f.Describe())));

            var ms = result.Cells.Select(c => c.Elapsed.TotalMilliseconds).ToArray();
            var statements = ms.Skip(3 + 5).Take(trivial - 5).ToArray();          // after 5 warm-up cells
            var expressions = ms.Skip(3 + trivial).Take(trivial).ToArray();
            var charts = ms.Skip(3 + 2 * trivial + 2).ToArray();                   // after 2 warm-up charts
            Console.WriteLine($"{"cell",-34} {"median ms",10} {"p90 ms",9} {"max ms",9} {"vs 100 ms goal",15}");
            Row("#r nuget cell (cold Roslyn)", new[] { ms[0] });
            Row("#load shared/SelfSim.csx", new[] { ms[1] });
            Row($"trivial statement (n={statements.Length})", statements);
            Row($"trivial expression (n={expressions.Length})", expressions);
            Row($"chart as value (n={charts.Length})", charts);
            Console.WriteLine($"whole notebook: {result.Cells.Count} cells in {sw.Elapsed.TotalSeconds:F1} s; peak working set {Process.GetCurrentProcess().PeakWorkingSet64 / (1 << 20)} MiB");
        }
        finally
        {
            Directory.Delete(dir, true);
        }
        FigureJson();
    }

    /// <summary>Chart formatting cost: Plotly.NET's own serializer against the DynamicObj walker the runner and Figures use.</summary>
    static void FigureJson()
    {
        var x = Enumerable.Range(0, 200).Select(i => (double)i).ToArray();
        var chart = Plotly.NET.CSharp.Chart.Combine(new[]
        {
            Plotly.NET.CSharp.Chart.Point<double, double, string>(x, x.Select(v => v * v).ToArray(), Name: "a"),
            Plotly.NET.CSharp.Chart.Line<double, double, string>(x, x.Select(v => 2 * v).ToArray(), Name: "b"),
        });
        double Median(Func<string> f, int n)
        {
            for (int i = 0; i < 3; i++) f();
            var t = new List<double>();
            for (int i = 0; i < n; i++) { var sw = Stopwatch.StartNew(); f(); t.Add(sw.Elapsed.TotalMilliseconds); }
            t.Sort();
            return t[t.Count / 2];
        }
        var plotly = Median(() => Plotly.NET.GenericChart.toFigureJson(chart), 9);
        var walker = Median(() => PlotlyFigureJson.Serialize(chart), 9);
        Console.WriteLine();
        Console.WriteLine($"{"figure JSON (2 traces x 200 points)",-34} {"median ms",10} {"ratio",9}");
        Console.WriteLine($"{"Plotly.NET GenericChart.toFigureJson",-34} {plotly,10:F2} {1.0,9:F2}");
        Console.WriteLine($"{"PlotlyFigureJson (shared/figures)",-34} {walker,10:F2} {walker / plotly,9:F4}");
    }

    static void Row(string name, double[] xs)
    {
        var s = xs.OrderBy(x => x).ToArray();
        double median = s[s.Length / 2], p90 = s[(int)Math.Min(s.Length - 1, Math.Ceiling(0.9 * s.Length) - 1)], max = s[^1];
        Console.WriteLine($"{name,-34} {median,10:F1} {p90,9:F1} {max,9:F1} {median / 100.0,14:F2}x");
    }

    static string FindRoot()
    {
        var d = new DirectoryInfo(AppContext.BaseDirectory);
        while (d != null && !File.Exists(Path.Combine(d.FullName, "global.json"))) d = d.Parent;
        return d?.FullName ?? throw new InvalidOperationException("run from inside the repository");
    }
}
