using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.IO.Compression;
using System.Linq;
using System.Text;
using SelfSim.Cli;
using SelfSim.Cli.Notebooks;
using Xunit;

namespace SelfSim.Tests.Cli;

/// <summary>
/// Issue 25: random bytes and random shapes fed to every reader (.npy, CSV, edge list, safetensors, .pt, .ipynb), through
/// the real CLI and its error policy. Each input ends in rc 0 (it happened to be valid) or rc 1 with one "selfsim:" line,
/// never an internal error or a stack trace. Seeded (the same inputs every run) and bounded: at most
/// <see cref="Cases"/> inputs or <see cref="Budget"/> per reader.
/// </summary>
[Collection("Console")]
public sealed class ReaderFuzzTests : IDisposable
{
    const int Cases = 60;
    static readonly TimeSpan Budget = TimeSpan.FromSeconds(25);
    readonly string _dir = Path.Combine(Path.GetTempPath(), "selfsim-fuzz-" + Guid.NewGuid().ToString("N")[..8]);
    public ReaderFuzzTests() => Directory.CreateDirectory(_dir);
    public void Dispose() { try { Directory.Delete(_dir, true); } catch (IOException) { } }

    static byte[] Bytes(Random r, int max)
    {
        var b = new byte[r.Next(max + 1)];
        r.NextBytes(b);
        return b;
    }

    static string Pick(Random r, params string[] options) => options[r.Next(options.Length)];

    static string Number(Random r) => Pick(r, "0", "1", "-1", "2.5", "1e20", "1e-300", "1e400", "NaN", "Infinity", "-0", "0x1F",
        "1_000", "\"1,5\"", "", " ", "abc", "3.", ".5", "1e", "--2", "\u2212" + "3", "9999999999999", r.NextDouble().ToString("R"));

    static byte[] Npy(Random r)
    {
        if (r.Next(4) == 0) return Bytes(r, 300);
        var dims = Enumerable.Range(0, r.Next(0, 4)).Select(_ => Pick(r, "0", "1", "3", "7", "-2", "99999999999", "x", "2")).ToArray();
        var dict = $"{{'descr': '{Pick(r, "<f4", "<f8", ">f8", "|u1", "<i8", "<c16", "<f2", "O", "")}', " +
                   $"'fortran_order': {Pick(r, "False", "True", "maybe")}, 'shape': ({string.Join(", ", dims)}{(dims.Length == 1 ? "," : "")}), }}";
        if (r.Next(5) == 0) dict = dict[..r.Next(dict.Length)];
        var header = Encoding.Latin1.GetBytes(dict + "\n");
        var ms = new MemoryStream();
        ms.Write(new byte[] { 0x93, (byte)'N', (byte)'U', (byte)'M', (byte)'P', (byte)'Y', (byte)Pick(r, "1", "2", "3", "9")[0], 0 });
        int declared = r.Next(6) == 0 ? r.Next(ushort.MaxValue) : header.Length;
        if (ms.ToArray()[6] == (byte)'1') ms.Write(BitConverter.GetBytes((ushort)declared)); else ms.Write(BitConverter.GetBytes(declared));
        ms.Write(header);
        ms.Write(Bytes(r, 400));
        var result = ms.ToArray();
        result[6] = (byte)(result[6] - '0');   // the version byte itself
        return result;
    }

    static byte[] Csv(Random r)
    {
        if (r.Next(4) == 0) return Bytes(r, 300);
        var sb = new StringBuilder();
        int rows = r.Next(0, 8), cols = r.Next(1, 5);
        if (r.Next(2) == 0) sb.Append(string.Join(Pick(r, ",", ";", "\t"), Enumerable.Range(0, cols).Select(i => Pick(r, "a", "0", i.ToString(), "\"x", "")))).Append('\n');
        for (int i = 0; i < rows; i++)
            sb.Append(string.Join(Pick(r, ",", ",", ";", "\t", " "), Enumerable.Range(0, cols + (r.Next(5) == 0 ? r.Next(-1, 2) : 0)).Select(_ => Number(r))))
              .Append(Pick(r, "\n", "\r\n", "\n\n", ""));
        return Encoding.UTF8.GetBytes(sb.ToString());
    }

    static byte[] Edges(Random r)
    {
        if (r.Next(4) == 0) return Bytes(r, 300);
        var sb = new StringBuilder();
        for (int i = 0, m = r.Next(0, 10); i < m; i++)
            sb.Append(Pick(r, "0", "1", "2", "-1", "2147483647", "99999999999", "a", "1.5", "", "#", "3"))
              .Append(Pick(r, " ", ",", "\t", ""))
              .Append(Pick(r, "0", "1", "4", "-3", "2147483648", "b", "2e3", ""))
              .Append(Pick(r, "", " 1.0", ",x", " 2 3")).Append('\n');
        return Encoding.UTF8.GetBytes(sb.ToString());
    }

    static byte[] Safetensors(Random r)
    {
        if (r.Next(4) == 0) return Bytes(r, 300);
        string shape = "[" + string.Join(",", Enumerable.Range(0, r.Next(0, 4)).Select(_ => Pick(r, "0", "2", "3", "-1", "1000000000000", "x"))) + "]";
        string json = $"{{\"{Pick(r, "fc1.weight", "layers.0.weight", "", "__metadata__")}\": {{\"dtype\": \"{Pick(r, "F32", "F64", "BF16", "I8", "Q4", "")}\", " +
                      $"\"shape\": {shape}, \"data_offsets\": [{Pick(r, "0", "-4", "8")}, {Pick(r, "0", "24", "1099511627776", "3")}]}}}}";
        if (r.Next(4) == 0) json = json[..r.Next(json.Length)];
        var head = Encoding.UTF8.GetBytes(json);
        var ms = new MemoryStream();
        ms.Write(BitConverter.GetBytes(r.Next(6) == 0 ? (long)r.Next() * 1000 : head.Length));
        ms.Write(head);
        ms.Write(Bytes(r, 64));
        return ms.ToArray();
    }

    static byte[] Pt(Random r)
    {
        if (r.Next(4) == 0) return Bytes(r, 300);
        var ms = new MemoryStream();
        using (var zip = new ZipArchive(ms, ZipArchiveMode.Create, leaveOpen: true))
        {
            foreach (var name in new[] { "archive/data.pkl", "archive/data/0", "archive/version" }.Where(_ => r.Next(4) != 0))
            {
                using var s = zip.CreateEntry(name).Open();
                // a pickle: PROTO 2, then random opcodes (a few real ones among them), STOP
                var body = new List<byte> { 0x80, 2 };
                for (int i = 0, n = r.Next(0, 40); i < n; i++)
                    body.Add(r.Next(3) == 0 ? (byte)Pick(r, "}", "(", "X", "q", "u", "c", "R", "t", "K", "J", "]", "e", "b")[0] : (byte)r.Next(256));
                body.Add((byte)'.');
                s.Write(body.ToArray());
            }
        }
        return ms.ToArray();
    }

    static byte[] Ipynb(Random r)
    {
        if (r.Next(4) == 0) return Bytes(r, 300);
        string Value() => Pick(r, "4", "\"4\"", "null", "[]", "{}", "3", "5", "-1", "1e400", "true", "[1,2]", "\"x\"");
        string cell = $"{{\"cell_type\": {Pick(r, "\"code\"", "\"raw\"", "7", "null", "\"markdown\"", "\"slide\"")}, " +
                      $"\"source\": {Pick(r, "\"1+1\"", "[\"a\", 3]", "null", "{}", "42")}, \"metadata\": {Value()}, \"outputs\": {Value()}}}";
        string nb = $"{{\"nbformat\": {Value()}, \"nbformat_minor\": {Value()}, \"metadata\": {Value()}, " +
                    $"\"cells\": {Pick(r, "[" + cell + "]", "[" + cell + "," + cell + "]", "3", "null", "[1]", "{}")}}}";
        if (r.Next(4) == 0) nb = nb[..r.Next(nb.Length)];
        return Encoding.UTF8.GetBytes(nb);
    }

    /// <summary>rc 0, or rc 1 with one "selfsim:" line that is not an internal error, and no stack trace anywhere.</summary>
    static void Holds((int Code, string Out, string Err) r, string what)
    {
        Assert.DoesNotContain("   at ", r.Err + r.Out);
        if (r.Code == 0) return;
        Assert.True(r.Code == 1, $"{what}: exit code {r.Code}: {r.Err}");
        var lines = r.Err.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Where(l => !l.StartsWith("warning:")).ToArray();
        Assert.True(lines.Length == 1, $"{what}: {lines.Length} lines: {r.Err}");
        Assert.StartsWith("selfsim: ", lines[0]);
        Assert.True(!lines[0].Contains("internal error"), $"{what}: {lines[0]}");
    }

    void Fuzz(string ext, int seed, Func<Random, byte[]> make, Func<string, string[]> args)
    {
        var r = new Random(seed);
        var watch = Stopwatch.StartNew();
        int refused = 0, cases = 0;
        for (; cases < Cases && watch.Elapsed < Budget; cases++)
        {
            var path = Path.Combine(_dir, $"case{cases}{ext}");
            var bytes = make(r);
            File.WriteAllBytes(path, bytes);
            var result = InProcessCli.Run(args(path));
            Holds(result, $"case {cases} ({Convert.ToBase64String(bytes.Take(120).ToArray())})");
            if (result.Code == 1) refused++;
        }
        // the inputs are hostile: most are refused (a reader that accepted everything would pass the checks above)
        Assert.True(refused >= cases / 2, $"{refused} of {cases} refused");
    }

    [Fact] public void Npy_reader() => Fuzz(".npy", 251, Npy, p => new[] { "srate", "--features", p, "--json" });
    [Fact] public void Csv_feature_reader() => Fuzz(".csv", 252, Csv, p => new[] { "boxcover", "--features", p, "--json" });
    [Fact] public void Edge_list_reader() => Fuzz(".txt", 253, Edges, p => new[] { "graph", "degrees", "--edges", p, "--json" });
    [Fact]
    public void Safetensors_reader() => Fuzz(".safetensors", 254, Safetensors,
        p => new[] { "checkpoint", "--weights", p, "--model", "mlp", "--scale", "cpu", "--image-size", "28", "--classes", "10" });
    [Fact]
    public void Pt_reader() => Fuzz(".pt", 255, Pt,
        p => new[] { "checkpoint", "--weights", p, "--model", "mlp", "--scale", "cpu", "--image-size", "28", "--classes", "10" });

    [Fact]
    public void Ipynb_reader()
    {
        // The notebook reader `run` calls before any kernel starts, under the CLI's error policy (a valid notebook
        // would start a kernel, so the reader is called directly and its error described as the CLI describes it).
        var r = new Random(256);
        var watch = Stopwatch.StartNew();
        for (int i = 0; i < Cases && watch.Elapsed < Budget; i++)
        {
            var path = Path.Combine(_dir, $"nb{i}.ipynb");
            var bytes = Ipynb(r);
            File.WriteAllBytes(path, bytes);
            try { KernelNotebookHost.Read(path); }
            catch (Exception e)
            {
                var line = CliErrors.Describe(e);
                Assert.True(!line.StartsWith("internal error"), $"case {i} ({Encoding.UTF8.GetString(bytes)}): {line}");
                Assert.DoesNotContain("\n", line.Trim());
            }
        }
    }
}
