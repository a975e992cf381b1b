using System;
using System.CommandLine;
using System.IO;
using System.Linq;
using System.Text.Json.Nodes;
using System.Threading.Tasks;
using SelfSim.Cli;
using SelfSim.Cli.Notebooks;
using Xunit;

namespace SelfSim.Tests.Runner;

[Collection("Runner")]
public sealed class RunCommandTests : IDisposable
{
    readonly string _tmp = Path.Combine(Path.GetTempPath(), "selfsim-runcmd-" + Guid.NewGuid().ToString("N")[..8]);
    public RunCommandTests() => Directory.CreateDirectory(_tmp);
    public void Dispose() { try { Directory.Delete(_tmp, true); } catch (IOException) { } }

    static async Task<(int Code, string Err)> Cli(params string[] args)
    {
        var root = new RootCommand { new RunCommand().Create(), new NotebookCommand().Create() };
        var oldErr = Console.Error;
        var err = new StringWriter();
        Console.SetError(err);
        try { return (await CliErrors.InvokeAsync(root, args), err.ToString()); }
        finally { Console.SetError(oldErr); }
    }

    [Fact]
    public async Task Failing_notebook_exits_1_naming_notebook_cell_line_and_error()
    {
        var nb = Path.Combine(RepoPaths.Root, "tests", "notebooks", "compile-error.ipynb");
        var summary = Path.Combine(_tmp, "summary.json");
        var (code, err) = await Cli("run", nb, "--out", _tmp, "--quiet", "--summary", summary);
        Assert.Equal(1, code);
        var s = JsonNode.Parse(File.ReadAllText(summary))!;
        Assert.False((bool)s["succeeded"]!);
        var cells = s["notebooks"]![0]!["cells"]!.AsArray();
        Assert.Equal(new[] { 1, 2 }, cells.Select(c => (int)c!["cell"]!).ToArray());
        Assert.Null((string?)cells[0]!["error"]);
        Assert.StartsWith("cell 2, line 3: CS0029", (string?)cells[1]!["error"]);
        Assert.Contains($"selfsim run: {nb}: cell 2, line 3: CS0029: Cannot implicitly convert type 'string' to 'int'", err);
        Assert.Contains("   3 | int broken = \"text\";", err); // the failing source line under the error
        Assert.True(File.Exists(Path.Combine(_tmp, "compile-error.ipynb"))); // written with the error output, for reading
    }

    [Fact]
    public async Task New_notebook_runs_in_place_and_bad_arguments_are_one_line_errors()
    {
        var nb = Path.Combine(_tmp, "nbs", "01-new.ipynb");
        Directory.CreateDirectory(Path.GetDirectoryName(nb)!);
        var (made, _) = await Cli("notebook", "new", nb, "--shared", Path.GetRelativePath(Path.GetDirectoryName(nb)!, Path.Combine(RepoPaths.Shared, "SelfSim.csx")));
        Assert.Equal(0, made);
        var (again, exists) = await Cli("notebook", "new", nb);
        Assert.Equal(1, again);
        Assert.Contains("--force", exists);

        var (code, err) = await Cli("run", Path.GetDirectoryName(nb)!, "--in-place", "--smoke", "--quiet");
        Assert.True(code == 0, err);
        var doc = (JsonObject)JsonNode.Parse(File.ReadAllText(nb))!;
        var last = doc["cells"]!.AsArray().Last()!;
        Assert.Contains("<pre>1</pre>", last["outputs"]!.ToJsonString().Replace("\\u003C", "<").Replace("\\u003E", ">")); // smoke epochs

        var (both, msg) = await Cli("run", nb, "--in-place", "--out", _tmp);
        Assert.Equal(1, both);
        Assert.Contains("--in-place and --out", msg);
        var (missing, why) = await Cli("run", Path.Combine(_tmp, "nope.ipynb"));
        Assert.Equal(1, missing);
        Assert.Contains("nope.ipynb does not exist", why);
    }

    [Fact]
    public async Task Summary_is_written_when_a_cell_ends_the_process()
    {
        var nb = Path.Combine(_tmp, "exit.ipynb");
        new NotebookBuilder().Code("var a = 1;").Code("System.Environment.Exit(7);").Build().Save(nb);
        var summary = Path.Combine(_tmp, "exit-summary.json");
        var (code, err) = await Cli("run", nb, "--out", Path.Combine(_tmp, "out"), "--quiet", "--size", "smoke", "--summary", summary);
        Assert.Equal(1, code);
        Assert.Contains("cell 2", err);
        var s = JsonNode.Parse(File.ReadAllText(summary))!;
        Assert.Equal("smoke", (string?)s["size"]);
        Assert.StartsWith("cell 2: the notebook's kernel process ended (exit code 7)", (string?)s["notebooks"]![0]!["cells"]!.AsArray().Last()!["error"]);
        var (bad, why) = await Cli("run", nb, "--smoke", "--size", "full");
        Assert.Equal(1, bad);
        Assert.Contains("--smoke and --size full disagree", why);
    }

    [Fact]
    public async Task Hash_r_of_a_dll_path_resolves_relative_to_the_notebook()
    {
        var lib = Path.Combine(_tmp, "lib");
        Directory.CreateDirectory(lib);
        var zip = typeof(ICSharpCode.SharpZipLib.Zip.ZipFile).Assembly.Location;
        File.Copy(zip, Path.Combine(lib, Path.GetFileName(zip)));
        var path = Path.Combine(_tmp, "dll.ipynb");
        new NotebookBuilder()
            .Code($"#r \"lib/{Path.GetFileName(zip)}\"\ntypeof(ICSharpCode.SharpZipLib.Zip.ZipFile).Name")
            .Build().Save(path);
        var withRef = await RunOne(path);
        Assert.True(withRef.Succeeded, string.Join("; ", withRef.Failures.Select(f => f.Describe())));
        Assert.Contains("ZipFile", File.ReadAllText(withRef.Output!));

        // without the #r the type is unknown: the reference really came from the directive
        new NotebookBuilder().Code("typeof(ICSharpCode.SharpZipLib.Zip.ZipFile).Name").Build().Save(path);
        var without = await RunOne(path);
        Assert.Equal("compile", Assert.Single(without.Failures).Kind);
    }

    static async Task<NotebookRunResult> RunOne(string path)
    {
        await using var runner = new NotebookRunner(new RunSettings { OutDir = Path.Combine(Path.GetDirectoryName(path)!, "out") });
        return await runner.RunAsync(path);
    }
}
