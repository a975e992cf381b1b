using System;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Net;
using System.Net.Http;
using System.Net.Sockets;
using System.Threading.Tasks;
using Microsoft.Playwright;
using SelfSim.Cli.Notebooks;
using Xunit;
using Xunit.Abstractions;

namespace SelfSim.Tests.Notebooks;

/// <summary>
/// What a student does: start Jupyter Notebook, open notebook 00 in a browser, run all cells, and see the chart.
/// Jupyter (Debian's jupyter-notebook) serves on 127.0.0.1 with a token; Debian's Chromium drives the page through
/// Playwright; the test waits for the Plotly chart's SVG with its traces and saves a screenshot to
/// out/browser/notebook00.png. The notebook runs from a temporary copy (shared/, data/ and the tool manifest linked),
/// so Jupyter's autosave never touches the checkout. The server and its kernel stop whatever happens.
/// </summary>
[Collection("Runner")]
public sealed class JupyterBrowserTests
{
    readonly ITestOutputHelper _log;
    public JupyterBrowserTests(ITestOutputHelper log) => _log = log;

    static int FreePort()
    {
        var l = new TcpListener(IPAddress.Loopback, 0);
        l.Start();
        try { return ((IPEndPoint)l.LocalEndpoint).Port; } finally { l.Stop(); }
    }

    /// <summary>A folder that looks like the checkout to the notebook: its own notebooks/ copy, the rest linked.</summary>
    static string Workspace(string notebook)
    {
        var root = Directory.CreateTempSubdirectory("selfsim-jupyter-").FullName;
        Directory.CreateDirectory(Path.Combine(root, "notebooks"));
        File.Copy(Path.Combine(RepoPaths.Notebooks, notebook), Path.Combine(root, "notebooks", notebook));
        foreach (var dir in new[] { "shared", "data", ".config" })
            Directory.CreateSymbolicLink(Path.Combine(root, dir), Path.Combine(RepoPaths.Root, dir));
        foreach (var file in new[] { "global.json", "nuget.config" })
            if (File.Exists(Path.Combine(RepoPaths.Root, file)))
                File.CreateSymbolicLink(Path.Combine(root, file), Path.Combine(RepoPaths.Root, file));
        return root;
    }

    /// <summary>Unlinks the links first (never following them into the checkout), then deletes the copy.</summary>
    static void RemoveWorkspace(string root)
    {
        foreach (var entry in Directory.EnumerateFileSystemEntries(root))
            if (new FileInfo(entry).LinkTarget != null) File.Delete(entry);
        try { Directory.Delete(root, true); } catch (IOException) { }
    }

    [Fact]
    public async Task Notebook_00_runs_in_Jupyter_in_Chromium_and_draws_its_chart()
    {
        var chromium = StaticFigureExporter.FindChromium();
        Assert.True(chromium != null, "the browser test needs Chromium: apt-get install chromium (.ci/run does)");
        const string notebook = "00-tour.ipynb";
        var work = Workspace(notebook);
        var port = FreePort();
        var token = Guid.NewGuid().ToString("N");
        var psi = new ProcessStartInfo(KernelNotebookTests.Python,
            $"-m notebook --no-browser --ip=127.0.0.1 --port={port} --port-retries=0 --NotebookApp.token={token} " +
            $"--notebook-dir=\"{work}\" --allow-root")
        {
            WorkingDirectory = work,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        psi.Environment["SELFSIM_SIZE"] = "smoke";
        psi.Environment[Figures.FolderVariable] = Path.Combine(work, "figures");
        foreach (var kv in JupyterKernelSpec.ChildEnvironment) psi.Environment[kv.Key] = kv.Value;
        var server = Process.Start(psi)!;
        var serverLog = new System.Text.StringBuilder();
        server.OutputDataReceived += (_, e) => { lock (serverLog) serverLog.AppendLine(e.Data); };
        server.ErrorDataReceived += (_, e) => { lock (serverLog) serverLog.AppendLine(e.Data); };
        server.BeginOutputReadLine();
        server.BeginErrorReadLine();
        var baseUrl = $"http://127.0.0.1:{port}";
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(10) };
        try
        {
            var ready = false;
            for (var i = 0; i < 120 && !ready && !server.HasExited; i++)
            {
                try { ready = (await http.GetAsync($"{baseUrl}/api/status?token={token}")).IsSuccessStatusCode; }
                catch (HttpRequestException) { }
                if (!ready) await Task.Delay(500);
            }
            Assert.True(ready, $"Jupyter Notebook did not start on {baseUrl}:\n{serverLog}");

            using var playwright = await Playwright.CreateAsync();
            await using var browser = await playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
            {
                ExecutablePath = chromium,
                Headless = true,
                Args = new[] { "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                               "--disable-component-update", "--disable-sync", "--disable-dev-shm-usage" },
            });
            var page = await browser.NewPageAsync(new BrowserNewPageOptions { ViewportSize = new ViewportSize { Width = 1280, Height = 1000 } });
            var errors = new System.Collections.Generic.List<string>();
            page.PageError += (_, e) => errors.Add(e);
            await page.GotoAsync($"{baseUrl}/notebooks/notebooks/{notebook}?token={token}");
            // the notebook is loaded and its kernel is connected (first start compiles nothing yet: seconds)
            await page.WaitForFunctionAsync(
                "() => window.Jupyter && Jupyter.notebook && Jupyter.notebook.kernel && Jupyter.notebook.kernel.is_connected()",
                null, new PageWaitForFunctionOptions { Timeout = 180_000, PollingInterval = 500 });
            await page.EvaluateAsync("() => { Jupyter.notebook.set_autosave_interval(0); Jupyter.notebook.execute_all_cells(); }");
            var watch = Stopwatch.StartNew();
            // every code cell ran (no [*] prompt left), and the chart's SVG holds traces
            await page.WaitForFunctionAsync(
                """
                () => {
                  const cells = Jupyter.notebook.get_cells().filter(c => c.cell_type === 'code');
                  const done = cells.every(c => c.input_prompt_number !== '*' && c.input_prompt_number !== undefined && c.input_prompt_number !== null);
                  const svg = document.querySelector('.selfsim-chart .main-svg .trace');
                  const failed = cells.some(c => c.output_area.outputs.some(o => o.output_type === 'error'));
                  return failed || (done && svg !== null);
                }
                """, null, new PageWaitForFunctionOptions { Timeout = 1_200_000, PollingInterval = 1000 });
            _log.WriteLine($"{notebook}: all cells ran in Jupyter in {watch.Elapsed.TotalSeconds:F0} s");
            var failures = await page.EvaluateAsync<string[]>(
                "() => Jupyter.notebook.get_cells().flatMap(c => c.output_area ? c.output_area.outputs : [])" +
                ".filter(o => o.output_type === 'error').map(o => o.ename + ': ' + o.evalue)");
            Assert.True(failures.Length == 0, $"{notebook} failed in Jupyter: {string.Join("; ", failures)}");
            var traces = await page.EvaluateAsync<int>("() => document.querySelectorAll('.selfsim-chart .main-svg .trace').length");
            Assert.True(traces > 0, "the chart drew no traces");

            var chart = page.Locator(".selfsim-chart").First;
            await chart.ScrollIntoViewIfNeededAsync();
            var shot = Path.Combine(RepoPaths.Root, "out", "browser", "notebook00.png");
            Directory.CreateDirectory(Path.GetDirectoryName(shot)!);
            await page.ScreenshotAsync(new PageScreenshotOptions { Path = shot });
            Assert.True(new FileInfo(shot).Length > 10_000, $"screenshot {shot} is suspiciously small");
            _log.WriteLine($"screenshot: {shot} ({traces} traces); page errors: {string.Join("; ", errors)}");
        }
        finally
        {
            // Shut the kernels down through the API, then end the server and anything it started.
            try
            {
                var kernels = System.Text.Json.Nodes.JsonNode.Parse(await http.GetStringAsync($"{baseUrl}/api/kernels?token={token}"))!.AsArray();
                foreach (var k in kernels)
                    await http.DeleteAsync($"{baseUrl}/api/kernels/{(string?)k!["id"]}?token={token}");
            }
            catch (Exception) { /* the server may already be gone */ }
            if (!server.HasExited) server.Kill(entireProcessTree: true);
            server.WaitForExit(10_000);
            RemoveWorkspace(work);
        }
    }
}
