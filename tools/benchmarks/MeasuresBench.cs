using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Text.Json;
using TorchSharp;
using static TorchSharp.torch;

namespace SelfSim.Benchmarks;

/// <summary>
/// `measures`: time and peak memory of Srate + gradient and of the exact box cover at n = 256 … 4096 nodes (d = 64),
/// and, where Debian's python3-torch and the reference snapshot are present, the reference's compute_mse_sim_loss
/// (+ backward) and box_edge on the same inputs, with the ratios.
/// Args: [--sizes 256,512,1024,2048,4096] [--d 64] [--repeat 3] [--python /usr/bin/python3] [--omp-active]
///       [--reference-srate-max 1024] [--reference-box-max 512] [--no-reference] [--mirror PATH]
/// </summary>
public sealed class MeasuresBench : IBenchSuite
{
    public string Name => "measures";
    public string Description => "Srate+gradient and exact box cover: time and peak memory at n = 256..4096 (d = 64), vs the reference";

    const string DefaultMirror = "/work/.mirror/qcw-china+Self-similarity-Analysis-in-Deep-Neural-Networks/repo";

    public void Run(string[] args)
    {
        int child = Array.IndexOf(args, "--child");
        if (child >= 0) { RunChild(args[child + 1], int.Parse(args[child + 2]), int.Parse(args[child + 3]), int.Parse(args[child + 4])); return; }
        var sizes = Str(args, "--sizes", "256,512,1024,2048,4096").Split(',').Select(int.Parse).ToArray();
        int d = Int(args, "--d", 64), reps = Int(args, "--repeat", 3);
        int refSrateMax = Int(args, "--reference-srate-max", 1024), refBoxMax = Int(args, "--reference-box-max", 512);
        bool reference = !args.Contains("--no-reference");
        OmpPassive = !args.Contains("--omp-active");
        Console.WriteLine($"CPU threads (torch): {get_num_threads()}, cores: {Environment.ProcessorCount}, d = {d}, " +
                          $"median of {reps} timed calls after one warm-up; peak memory = peak RSS rise over the first call, each case in a fresh process" +
                          (OmpPassive ? "; both sides with OMP_WAIT_POLICY=PASSIVE (--omp-active to leave it unset)" : ""));

        var python = reference ? FindReference(Str(args, "--python", ""), Str(args, "--mirror", DefaultMirror)) : null;
        var rows = new List<Row>();
        foreach (int n in sizes)
        {
            var srate = Child("srate", n, d, reps);
            var box = Child("box", n, d, reps);
            (double Ms, double CpuMs, double PeakMb)? refS = null, refB = null;
            if (python is not null)
            {
                if (n <= refSrateMax) refS = python.Run("srate", n, d, reps);
                if (n <= refBoxMax) refB = python.Run("box", n, d, 0);   // one untimed-warm-up-free call: it is slow
            }
            rows.Add(new Row("Srate + gradient", n, srate.Ms, srate.CpuMs, srate.PeakMb, refS?.Ms, refS?.CpuMs, refS?.PeakMb));
            rows.Add(new Row("exact box cover", n, box.Ms, box.CpuMs, box.PeakMb, refB?.Ms, refB?.CpuMs, refB?.PeakMb));
            Console.Error.WriteLine($"  n = {n}: srate {srate.Ms:F1} ms, box {box.Ms:F1} ms" +
                                    (refS is null ? "" : $", reference srate {refS.Value.Ms:F0} ms") + (refB is null ? "" : $", reference box {refB.Value.Ms:F0} ms"));
        }

        Console.WriteLine();
        Console.WriteLine("| measure          |    n | ours ms | ours CPU ms | ours peak MB | reference ms | reference CPU ms | reference peak MB | speed-up | memory ratio |");
        Console.WriteLine("|------------------|-----:|--------:|------------:|-------------:|-------------:|-----------------:|------------------:|---------:|-------------:|");
        foreach (var r in rows)
            Console.WriteLine($"| {r.Measure,-16} | {r.N,4} | {r.Ms,7:F1} | {r.CpuMs,11:F1} | {r.PeakMb,12:F1} | {Opt(r.RefMs, "F0"),12} | {Opt(r.RefCpuMs, "F0"),16} | {Opt(r.RefPeakMb, "F0"),17} | " +
                              $"{(r.RefMs is null ? "" : (r.RefMs.Value / r.Ms).ToString("F0", CultureInfo.InvariantCulture) + "x"),8} | " +
                              $"{(r.RefPeakMb is null ? "" : (r.RefPeakMb.Value / Math.Max(r.PeakMb, 0.1)).ToString("F0", CultureInfo.InvariantCulture) + "x"),12} |");
        Console.WriteLine("(ms: wall-clock median; CPU ms: process CPU time over the same calls, all threads, a load-independent check; speed-up: wall-clock ratio)");
        if (python is null) Console.WriteLine("reference: not run (" + (reference ? FindReferenceWhyNot : "--no-reference") + ")");

        var s1024 = rows.FirstOrDefault(r => r.Measure.StartsWith("Srate") && r.N == 1024);
        if (s1024?.RefMs is not null)
        {
            double speed = s1024.RefMs.Value / s1024.Ms, mem = s1024.RefPeakMb!.Value / Math.Max(s1024.PeakMb, 0.1);
            Console.WriteLine($"goal Srate+gradient at n=1024: >= 20x faster and <= 1/10 memory: {speed:F0}x, 1/{mem:F0} -> {(speed >= 20 && mem >= 10 ? "met" : "NOT met")}");
        }
        var b4096 = rows.FirstOrDefault(r => r.Measure.StartsWith("exact") && r.N == 4096);
        if (b4096 is not null)
            Console.WriteLine($"goal exact box cover at n=4096 < 2 s: {b4096.Ms / 1000:F2} s wall ({b4096.CpuMs / 1000:F2} s CPU) -> {(b4096.Ms < 2000 ? "met" : "NOT met")}");
    }

    /// <summary>Run both sides with OMP_WAIT_POLICY=PASSIVE: libtorch's OpenMP threads otherwise spin after every
    /// parallel region and starve the .NET loops between torch calls on a busy machine (up to 4x here).</summary>
    static bool OmpPassive = true;

    sealed record Row(string Measure, int N, double Ms, double CpuMs, double PeakMb, double? RefMs, double? RefCpuMs, double? RefPeakMb);

    static string Opt(double? v, string f) => v is null ? "-" : v.Value.ToString(f, CultureInfo.InvariantCulture);

    /// <summary>Float32 standard normal, seeded by n (the Python side draws the same distribution with numpy).</summary>
    static Tensor Input(int n, int d)
    {
        manual_seed(n);
        return randn(n, d);
    }

    /// <summary>Runs one measurement in a fresh process (so no earlier allocation is reused) and reads its JSON line.</summary>
    static (double Ms, double CpuMs, double PeakMb) Child(string kind, int n, int d, int reps)
    {
        var exe = Environment.ProcessPath!;
        var psi = new ProcessStartInfo(exe) { RedirectStandardOutput = true, UseShellExecute = false };
        if (OmpPassive) psi.Environment["OMP_WAIT_POLICY"] = "PASSIVE";
        if (Path.GetFileNameWithoutExtension(exe) == "dotnet") psi.ArgumentList.Add(typeof(MeasuresBench).Assembly.Location);
        foreach (var a in new[] { "measures", "--child", kind, n.ToString(), d.ToString(), reps.ToString() }) psi.ArgumentList.Add(a);
        using var p = Process.Start(psi)!;
        var last = p.StandardOutput.ReadToEnd().Split('\n', StringSplitOptions.RemoveEmptyEntries).Last(l => l.StartsWith("{"));
        p.WaitForExit();
        using var doc = JsonDocument.Parse(last);
        return (doc.RootElement.GetProperty("ms").GetDouble(), doc.RootElement.GetProperty("cpuMs").GetDouble(), doc.RootElement.GetProperty("peakMB").GetDouble());
    }

    /// <summary>In the child: peak RSS rise over the first call (memory), then the median of reps more calls (time).</summary>
    static void RunChild(string kind, int n, int d, int reps)
    {
        var x = Input(n, d);
        Action call = kind == "srate"
            ? () =>
            {
                using var scope = NewDisposeScope();
                var xg = x.clone().requires_grad_(true);
                SrateObjective.Loss(Srate.Measure(xg).Rate, SrateObjective.DefaultTarget).backward();
            }
        : () => BoxCover.Compute(x);
        GC.Collect(); GC.WaitForPendingFinalizers();
        ResetPeak();
        long before = ProcStatusKb("VmRSS");
        var proc = Process.GetCurrentProcess();
        var sw = Stopwatch.StartNew();
        var cpu0 = proc.TotalProcessorTime;
        call();
        double first = sw.Elapsed.TotalMilliseconds;
        proc.Refresh();
        double firstCpu = (proc.TotalProcessorTime - cpu0).TotalMilliseconds;
        long peak = ProcStatusKb("VmHWM");
        var times = new List<double>(); var cpus = new List<double>();
        for (int i = 0; i < reps; i++)
        {
            proc.Refresh(); cpu0 = proc.TotalProcessorTime;
            sw.Restart();
            call();
            times.Add(sw.Elapsed.TotalMilliseconds);
            proc.Refresh(); cpus.Add((proc.TotalProcessorTime - cpu0).TotalMilliseconds);
        }
        if (times.Count == 0) { times.Add(first); cpus.Add(firstCpu); }
        Console.WriteLine(JsonSerializer.Serialize(new { ms = Median(times), cpuMs = Median(cpus), peakMB = Math.Max(0, peak - before) / 1024.0 }));
    }

    static double Median(List<double> v)
    {
        v.Sort();
        return v.Count % 2 == 1 ? v[v.Count / 2] : 0.5 * (v[v.Count / 2 - 1] + v[v.Count / 2]);
    }

    /// <summary>Linux: writing 5 to /proc/self/clear_refs resets the peak RSS (VmHWM) to the current RSS.</summary>
    static void ResetPeak()
    {
        try { File.WriteAllText("/proc/self/clear_refs", "5"); } catch { }
    }

    static long ProcStatusKb(string key)
    {
        try
        {
            foreach (var line in File.ReadLines("/proc/self/status"))
                if (line.StartsWith(key + ":"))
                    return long.Parse(line.Substring(key.Length + 1).Trim().Split(' ')[0], CultureInfo.InvariantCulture);
        }
        catch { }
        return 0;
    }

    static string FindReferenceWhyNot = "";

    sealed class PythonReference(string python, string root)
    {
        public (double Ms, double CpuMs, double PeakMb)? Run(string kind, int n, int d, int reps)
        {
            var psi = new ProcessStartInfo(python) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
            psi.ArgumentList.Add("-c"); psi.ArgumentList.Add(Script);
            psi.ArgumentList.Add(kind); psi.ArgumentList.Add(n.ToString()); psi.ArgumentList.Add(d.ToString()); psi.ArgumentList.Add(reps.ToString());
            psi.Environment["PYTHONPATH"] = root;
            psi.Environment["OMP_NUM_THREADS"] = get_num_threads().ToString();
            if (OmpPassive) psi.Environment["OMP_WAIT_POLICY"] = "PASSIVE";
            using var p = Process.Start(psi)!;
            var stdout = p.StandardOutput.ReadToEnd();
            var stderr = p.StandardError.ReadToEnd();
            p.WaitForExit();
            var last = stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries).LastOrDefault();
            if (p.ExitCode != 0 || last is null)
            {
                Console.Error.WriteLine($"  reference {kind} n={n} failed: {stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries).LastOrDefault()}");
                return null;
            }
            using var doc = JsonDocument.Parse(last);
            return (doc.RootElement.GetProperty("ms").GetDouble(), doc.RootElement.GetProperty("cpuMs").GetDouble(), doc.RootElement.GetProperty("peakMB").GetDouble());
        }
    }

    /// <summary>Python with torch and numpy, and a temporary extraction of the reference's sfm/ package (never committed).</summary>
    static PythonReference? FindReference(string python, string mirror)
    {
        var candidates = python.Length > 0 ? new[] { python } : new[] { "/usr/bin/python3", "python3" };
        string? py = candidates.FirstOrDefault(c => Works(c, "import torch, numpy"));
        if (py is null) { FindReferenceWhyNot = "no python3 with torch and numpy; apt-get install python3-torch python3-numpy"; return null; }
        if (!Directory.Exists(mirror)) { FindReferenceWhyNot = $"no reference mirror at {mirror}"; return null; }
        var root = Path.Combine(Path.GetTempPath(), "selfsim-reference-" + Environment.ProcessId);
        Directory.CreateDirectory(root);
        var psi = new ProcessStartInfo("bash") { UseShellExecute = false, RedirectStandardError = true };
        psi.ArgumentList.Add("-c");
        psi.ArgumentList.Add($"git --git-dir='{mirror}' archive HEAD sfm | tar -x -C '{root}'");
        using (var p = Process.Start(psi)!) { p.StandardError.ReadToEnd(); p.WaitForExit(); }
        if (!File.Exists(Path.Combine(root, "sfm", "sfm_loss_d_v2.py"))) { FindReferenceWhyNot = "could not extract sfm/ from the mirror"; return null; }
        AppDomain.CurrentDomain.ProcessExit += (_, _) => { try { Directory.Delete(root, true); } catch { } };
        return new PythonReference(py, root);
    }

    static bool Works(string python, string code)
    {
        try
        {
            var psi = new ProcessStartInfo(python) { UseShellExecute = false, RedirectStandardError = true, RedirectStandardOutput = true };
            psi.ArgumentList.Add("-c"); psi.ArgumentList.Add(code);
            using var p = Process.Start(psi)!;
            p.StandardOutput.ReadToEnd(); p.StandardError.ReadToEnd();
            p.WaitForExit();
            return p.ExitCode == 0;
        }
        catch { return false; }
    }

    /// <summary>Times the reference's own functions (imported from the extracted snapshot) on a seeded input.</summary>
    const string Script = """
import sys, time, json, types
try:
    import matplotlib.pyplot
except Exception:
    m = types.ModuleType('matplotlib'); m.pyplot = types.ModuleType('matplotlib.pyplot')
    sys.modules['matplotlib'] = m; sys.modules['matplotlib.pyplot'] = m.pyplot
import numpy as np, torch
from sfm.sfm_loss_d_v2 import compute_mse_sim_loss
from sfm.draw_NLL import box_edge
kind, n, d, reps = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4])
x = np.random.default_rng(n).standard_normal((n, d)).astype(np.float32)
def status(key):
    for line in open('/proc/self/status'):
        if line.startswith(key + ':'):
            return int(line.split()[1])
    return 0
def call():
    if kind == 'srate':
        xt = torch.tensor(x, requires_grad=True)
        loss = compute_mse_sim_loss(xt, sample_num=256, target_rate=0.3)[0]
        loss.backward()
    else:
        box_edge(x)
try:
    open('/proc/self/clear_refs', 'w').write('5')
except Exception:
    pass
before = status('VmRSS')
t0 = time.perf_counter(); c0 = time.process_time(); call()
first = (time.perf_counter() - t0) * 1000; firstCpu = (time.process_time() - c0) * 1000
peak = status('VmHWM')
times, cpus = [], []
for _ in range(reps):
    t0 = time.perf_counter(); c0 = time.process_time(); call()
    times.append((time.perf_counter() - t0) * 1000); cpus.append((time.process_time() - c0) * 1000)
times = sorted(times) or [first]; cpus = sorted(cpus) or [firstCpu]
print(json.dumps({'ms': times[len(times) // 2], 'cpuMs': cpus[len(cpus) // 2], 'peakMB': max(0, peak - before) / 1024}))
""";

    static int Int(string[] args, string name, int fallback)
    {
        int i = Array.IndexOf(args, name);
        return i >= 0 && i + 1 < args.Length && int.TryParse(args[i + 1], out var v) ? v : fallback;
    }

    static string Str(string[] args, string name, string fallback)
    {
        int i = Array.IndexOf(args, name);
        return i >= 0 && i + 1 < args.Length ? args[i + 1] : fallback;
    }
}
