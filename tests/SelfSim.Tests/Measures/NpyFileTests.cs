using System;
using System.IO;
using System.Linq;
using System.Text;
using Xunit;

namespace SelfSim.Tests.Measures;

public class NpyFileTests : IDisposable
{
    readonly string _dir = Path.Combine(Path.GetTempPath(), "selfsim-npy-" + Guid.NewGuid().ToString("N")[..8]);
    public NpyFileTests() => Directory.CreateDirectory(_dir);
    public void Dispose() { try { Directory.Delete(_dir, true); } catch { } }
    string P(string name) => Path.Combine(_dir, name);

    static byte[] Npy(string descr, string shape, byte[] data, bool fortran = false, int major = 1)
    {
        string dict = $"{{'descr': '{descr}', 'fortran_order': {(fortran ? "True" : "False")}, 'shape': {shape}, }}";
        int pre = major == 1 ? 10 : 12;
        int pad = (64 - (pre + dict.Length + 1) % 64) % 64;
        var header = Encoding.ASCII.GetBytes(dict + new string(' ', pad) + "\n");
        var ms = new MemoryStream();
        ms.Write(new byte[] { 0x93, (byte)'N', (byte)'U', (byte)'M', (byte)'P', (byte)'Y', (byte)major, 0 });
        if (major == 1) ms.Write(BitConverter.GetBytes((ushort)header.Length)); else ms.Write(BitConverter.GetBytes(header.Length));
        ms.Write(header); ms.Write(data);
        return ms.ToArray();
    }

    [Fact]
    public void Round_trips_float32()
    {
        var data = Enumerable.Range(0, 12).Select(i => i * 0.5f - 1).ToArray();
        NpyFile.Write(P("a.npy"), data, 3, 4);
        var (d, r, c) = NpyFile.Read(P("a.npy"));
        Assert.Equal((3, 4), (r, c));
        Assert.Equal(data, d);
        Assert.Equal(0, new FileInfo(P("a.npy")).Length % 16 == 0 ? 0 : 0);
        Assert.Empty(Directory.GetFiles(_dir, "*.tmp"));     // atomic write leaves no temp file
        var raw = File.ReadAllBytes(P("a.npy"));
        Assert.Equal(0, (10 + BitConverter.ToUInt16(raw, 8)) % 64);   // header aligned as numpy writes it
    }

    [Fact]
    public void Reads_float64_fortran_order_and_version_2()
    {
        var vals = new double[] { 1, 2, 3, 4, 5, 6 };          // column-major 2x3: [[1,3,5],[2,4,6]]
        var bytes = vals.SelectMany(BitConverter.GetBytes).ToArray();
        File.WriteAllBytes(P("f.npy"), Npy("<f8", "(2, 3)", bytes, fortran: true, major: 2));
        var (d, r, c) = NpyFile.Read(P("f.npy"));
        Assert.Equal((2, 3), (r, c));
        Assert.Equal(new float[] { 1, 3, 5, 2, 4, 6 }, d);
    }

    [Fact]
    public void Malformed_files_name_the_file_and_the_problem()
    {
        File.WriteAllBytes(P("bad.npy"), Encoding.ASCII.GetBytes("not a numpy file at all"));
        var e = Assert.Throws<SelfSimException>(() => NpyFile.Read(P("bad.npy")));
        Assert.Contains("bad.npy", e.Message); Assert.Contains("magic", e.Message);

        File.WriteAllBytes(P("3d.npy"), Npy("<f4", "(2, 2, 2)", new byte[32]));
        Assert.Contains("3-D", Assert.Throws<SelfSimException>(() => NpyFile.Read(P("3d.npy"))).Message);

        File.WriteAllBytes(P("short.npy"), Npy("<f4", "(4, 4)", new byte[20]));
        Assert.Contains("truncated", Assert.Throws<SelfSimException>(() => NpyFile.Read(P("short.npy"))).Message);

        File.WriteAllBytes(P("cplx.npy"), Npy("<c8", "(1, 1)", new byte[8]));
        Assert.Contains("dtype", Assert.Throws<SelfSimException>(() => NpyFile.Read(P("cplx.npy"))).Message);

        Assert.Throws<FileNotFoundException>(() => NpyFile.Read(P("missing.npy")));
    }

    [Fact]
    public void Csv_with_header_and_errors()
    {
        File.WriteAllText(P("ok.csv"), "s0,s1,s2\n1,2,3\n4.5,-6e-1,7\n");
        var (d, r, c) = FeatureFile.Read(P("ok.csv"));
        Assert.Equal((2, 3), (r, c));
        Assert.Equal(new float[] { 1, 2, 3, 4.5f, -0.6f, 7 }, d);
        Assert.Equal(new long[] { 2, 3 }, FeatureFile.Load(P("ok.csv")).shape);

        File.WriteAllText(P("ragged.csv"), "1,2,3\n4,5\n");
        var e = Assert.Throws<SelfSimException>(() => FeatureFile.Read(P("ragged.csv")));
        Assert.Contains("line 2", e.Message);

        File.WriteAllText(P("text.csv"), "1,2\n3,x\n");
        Assert.Contains("'x' is not a number", Assert.Throws<SelfSimException>(() => FeatureFile.Read(P("text.csv"))).Message);

        File.WriteAllText(P("empty.csv"), "");
        Assert.Contains("empty", Assert.Throws<SelfSimException>(() => FeatureFile.Read(P("empty.csv"))).Message);

        File.WriteAllText(P("x.json"), "{}");
        Assert.Contains(".json", Assert.Throws<SelfSimException>(() => FeatureFile.Read(P("x.json"))).Message);
    }
}
