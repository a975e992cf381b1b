using System.IO;
using System.Linq;
using System.Text.RegularExpressions;
using System.Threading.Tasks;
using Xunit;

namespace SelfSim.Tests.Foundation;

/// <summary>shared/ is compiled two ways: as a library (this test assembly uses it) and as #load-ed scripts.</summary>
public class SharedScriptsTests
{
    static string[] LibraryFiles() => Directory.GetFiles(RepoPaths.Shared, "*.csx", SearchOption.AllDirectories)
        .Where(f => Path.GetFileName(f) is not ("SelfSim.csx" or "SelfSimOnnx.csx") && !f.Contains($"{Path.DirectorySeparatorChar}bin{Path.DirectorySeparatorChar}")
                    && !f.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}"))
        .ToArray();

    [Fact]
    public void Library_path_compiles_the_shared_scripts()
    {
        Assert.Equal("SelfSim.Shared", typeof(Devices).Assembly.GetName().Name);
        Assert.Equal("cpu", Devices.Pick("cpu").ToString());
    }

    /// <summary>shared/onnx/ loads through its own entry, SelfSimOnnx.csx (notebook 08), so that the other chapters need
    /// neither ONNX package; every other file through SelfSim.csx.</summary>
    static bool IsOnnx(string file) => Path.GetRelativePath(RepoPaths.Shared, file).StartsWith("onnx" + Path.DirectorySeparatorChar);

    static System.Collections.Generic.HashSet<string> Loads(string entryFile) =>
        Regex.Matches(File.ReadAllText(Path.Combine(RepoPaths.Shared, entryFile)), "^#load \"([^\"]+)\"", RegexOptions.Multiline)
            .Select(m => Path.GetFullPath(Path.Combine(RepoPaths.Shared, m.Groups[1].Value))).ToHashSet();

    [Theory]
    [InlineData("SelfSim.csx", false)]
    [InlineData("SelfSimOnnx.csx", true)]
    public void Entry_script_loads_every_shared_file(string entryFile, bool onnx)
    {
        var loaded = Loads(entryFile);
        var missing = LibraryFiles().Select(Path.GetFullPath).Where(f => IsOnnx(f) == onnx && !loaded.Contains(f)).ToList();
        Assert.True(missing.Count == 0, $"shared/{entryFile} does not #load: " + string.Join(", ", missing));
        Assert.All(loaded, f => Assert.True(File.Exists(f), $"{entryFile} loads a missing file {f}"));
        Assert.All(loaded, f => Assert.True(IsOnnx(f) == onnx, $"{entryFile} loads {f}, which belongs to the other entry"));
    }

    [Fact]
    public void Entry_script_loads_each_file_once_and_only_shared_files()
    {
        var lines = File.ReadAllLines(Path.Combine(RepoPaths.Shared, "SelfSim.csx"));
        var loads = lines.Select(l => Regex.Match(l, "^#load \"([^\"]+)\"")).Where(m => m.Success)
            .Select(m => Path.GetFullPath(Path.Combine(RepoPaths.Shared, m.Groups[1].Value))).ToList();
        var twice = loads.GroupBy(f => f).Where(g => g.Count() > 1).Select(g => g.Key).ToList();
        Assert.True(twice.Count == 0, "shared/SelfSim.csx loads these files more than once: " + string.Join(", ", twice));
        // the set of loaded files is exactly the library's files outside onnx/ (SelfSimOnnx.csx loads those; the
        // library compiles them all)
        Assert.Equal(LibraryFiles().Select(Path.GetFullPath).Where(f => !IsOnnx(f)).OrderBy(f => f), loads.OrderBy(f => f));
        // a #load line that is not at the start of its line (or is commented out) would silently load nothing
        var odd = lines.Where(l => l.Contains("#load") && !l.StartsWith("#load \"") && !l.TrimStart().StartsWith("// ")).ToList();
        Assert.True(odd.Count == 0, "malformed #load lines: " + string.Join(" | ", odd));
    }

    [Fact]
    public void Library_files_hold_declarations_that_scripts_accept()
    {
        var bad = new Regex(@"^\s*(#r\b|#load\b|namespace\s)|\(\s*this\s+[A-Za-z_]", RegexOptions.Multiline);
        var offenders = LibraryFiles().Where(f => bad.IsMatch(File.ReadAllText(f))).ToList();
        Assert.True(offenders.Count == 0, "these shared files hold #r, #load, a namespace or an extension method: " + string.Join(", ", offenders));
    }

    [Fact]
    public void Library_files_open_a_nullable_context_for_the_kernel()
    {
        // The library enables nullable in its project; the .NET Interactive kernel compiles #load-ed files without it,
        // and every `string?` would print a CS8632 warning into the notebook unless the file says so itself.
        var offenders = LibraryFiles().Where(f => !File.ReadLines(f).Any(l => l.Trim() == "#nullable enable")).ToList();
        Assert.True(offenders.Count == 0, "start these shared files with `#nullable enable`: " + string.Join(", ", offenders));
    }

    [Fact]
    public void Entry_script_prepares_the_kernel_after_the_last_load()
    {
        var lines = File.ReadAllLines(Path.Combine(RepoPaths.Shared, "SelfSim.csx"));
        int lastLoad = System.Array.FindLastIndex(lines, l => l.StartsWith("#load "));
        int prepare = System.Array.FindIndex(lines, l => l.Trim() == "NotebookKernel.Prepare();");
        Assert.True(prepare > lastLoad, "shared/SelfSim.csx must call NotebookKernel.Prepare(); after its last #load");
    }

    [Fact]
    public async Task Script_path_loads_the_entry_file_and_runs_torch()
    {
        var result = await ScriptHost.EvaluateAsync(
            "#load \"SelfSim.csx\"\n" +
            "var d = Devices.Pick(\"cpu\");\n" +
            "var t = TorchSharp.torch.arange(10, device: d).to_type(TorchSharp.torch.ScalarType.Float32);\n" +
            "t.sum().item<float>()", RepoPaths.Shared);
        Assert.Equal(45f, Assert.IsType<float>(result));
    }
}
