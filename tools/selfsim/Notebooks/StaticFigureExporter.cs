using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text;
using System.Threading.Tasks;
using Microsoft.Playwright;

namespace SelfSim.Cli.Notebooks;

/// <summary>
/// Renders a self-contained Plotly HTML figure to SVG or PNG with Plotly's own Plotly.toImage, in an installed
/// Chromium driven by Microsoft.Playwright (no browser download). The browser starts on first use and is reused.
/// </summary>
public sealed class StaticFigureExporter : IAsyncDisposable
{
    /// <summary>Environment variable naming the Chromium (or Chrome) executable; default /usr/bin/chromium.</summary>
    public const string ChromiumVariable = "SELFSIM_CHROMIUM";

    /// <summary>Set to 1 to act as if no Chromium were installed (HTML figures only, no site check): what a machine
    /// with only the .NET SDK does, and how the tests check that the main job needs nothing more.</summary>
    public const string NoChromiumVariable = "SELFSIM_NO_CHROMIUM";

    /// <summary>The key under which the runner publishes its export hook in AppDomain data (see shared/figures/Figures.csx).</summary>
    public const string HookKey = "SelfSim.Figures.StaticExport";

    static readonly string[] Candidates = { "/usr/bin/chromium", "/usr/bin/chromium-browser", "/usr/bin/google-chrome", "/usr/bin/google-chrome-stable" };

    IPlaywright? _playwright;
    IBrowser? _browser;
    readonly object _gate = new();

    /// <summary>The browser executable: $SELFSIM_CHROMIUM, else the first of /usr/bin/chromium, chromium-browser, google-chrome that exists;
    /// null when there is none or $SELFSIM_NO_CHROMIUM is 1.</summary>
    public static string? FindChromium()
    {
        if (Disabled) return null;
        var env = Environment.GetEnvironmentVariable(ChromiumVariable);
        if (!string.IsNullOrWhiteSpace(env)) return Executable(env) ? env : null;
        return Candidates.FirstOrDefault(Executable);
    }

    /// <summary>A file with an execute bit: a browser that was removed, or hidden by a bind mount of a non-executable
    /// empty file (how the tests take it away), counts as absent.</summary>
    static bool Executable(string path)
    {
        var info = new FileInfo(path);
        if (!info.Exists) return false;
        if (OperatingSystem.IsWindows()) return true;
        const UnixFileMode anyExecute = UnixFileMode.UserExecute | UnixFileMode.GroupExecute | UnixFileMode.OtherExecute;
        return (File.GetUnixFileMode(path) & anyExecute) != 0;
    }

    static bool Disabled => Environment.GetEnvironmentVariable(NoChromiumVariable) is "1" or "true";

    /// <summary>What running without Chromium costs, in one line (the preflight prints it once per run).</summary>
    public const string MissingCost = "no Chromium: figures are written as HTML only (`apt-get install chromium` adds SVG/PNG and the site check)";

    /// <summary>Why static export cannot run here, or null when it can.</summary>
    public static string? Unavailable()
    {
        if (Disabled) return $"{NoChromiumVariable}=1: Chromium is not used, so figures are HTML only (unset it for SVG/PNG).";
        var env = Environment.GetEnvironmentVariable(ChromiumVariable);
        if (!string.IsNullOrWhiteSpace(env) && !Executable(env))
            return $"{ChromiumVariable}={env} is not an executable file. Point it at a Chromium executable, or unset it to use /usr/bin/chromium " +
                   "(Debian/Ubuntu: `apt-get install chromium`). The HTML figure was written.";
        return FindChromium() == null
            ? "SVG/PNG export needs Chromium and none was found (looked for /usr/bin/chromium, chromium-browser, google-chrome). " +
              $"Install it with `apt-get install chromium`, or set {ChromiumVariable} to a Chromium executable. The HTML figure was written."
            : null;
    }

    async Task<IBrowser> BrowserAsync()
    {
        if (_browser != null) return _browser;
        var exe = FindChromium() ?? throw new SelfSimException(Unavailable()!);
        _playwright = await Playwright.CreateAsync();
        _browser = await _playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = exe,
            Headless = true,
            Args = new[]
            {
                "--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--disable-background-networking",
                "--disable-extensions", "--disable-sync", "--no-first-run", "--mute-audio", "--hide-scrollbars",
            },
        });
        return _browser;
    }

    /// <summary>
    /// Renders <paramref name="htmlPath"/> (a figure page holding one Plotly graph div) to each format ("svg", "png")
    /// next to it, at the layout's width and height (PNG multiplied by <paramref name="scale"/>). Returns the files written.
    /// </summary>
    public async Task<IReadOnlyList<string>> ExportAsync(string htmlPath, IEnumerable<string> formats, double scale = 1)
    {
        var full = Path.GetFullPath(htmlPath);
        if (!File.Exists(full)) throw new FileNotFoundException($"figure {full} does not exist", full);
        var browser = await BrowserAsync();
        var page = await browser.NewPageAsync();
        var written = new List<string>();
        try
        {
            await page.GotoAsync(new Uri(full).AbsoluteUri, new PageGotoOptions { WaitUntil = WaitUntilState.Load, Timeout = 60_000 });
            await page.WaitForFunctionAsync("() => typeof Plotly !== 'undefined' && document.querySelector('.js-plotly-plot') !== null",
                null, new PageWaitForFunctionOptions { Timeout = 60_000 });
            foreach (var raw in formats.Select(f => f.Trim().ToLowerInvariant()).Distinct())
            {
                if (raw is not ("svg" or "png"))
                    throw new ArgumentException($"figure format '{raw}' is not supported; use svg or png (HTML is always written).");
                var dataUrl = await page.EvaluateAsync<string>(
                    """
                    async ([format, scale]) => {
                      const gd = document.querySelector('.js-plotly-plot');
                      const fl = gd._fullLayout;
                      return await Plotly.toImage(gd, { format, width: fl.width, height: fl.height, scale: format === 'png' ? scale : 1 });
                    }
                    """, new object[] { raw, scale });
                var comma = dataUrl.IndexOf(',');
                var header = dataUrl[..comma];
                var payload = dataUrl[(comma + 1)..];
                var bytes = header.EndsWith(";base64", StringComparison.Ordinal)
                    ? Convert.FromBase64String(payload)
                    : Encoding.UTF8.GetBytes(Uri.UnescapeDataString(payload));
                var target = Path.ChangeExtension(full, "." + raw);
                AtomicFile.WriteAllBytes(target, bytes);
                written.Add(target);
            }
        }
        finally
        {
            await page.CloseAsync();
        }
        return written;
    }

    /// <summary>The hook the shared Figures helper calls: (html path, formats, scale) -> files written.</summary>
    public Func<string, string[], double, string[]> Hook() => (html, formats, scale) =>
    {
        // off the caller's synchronization context, so a blocking cell cannot deadlock Playwright's continuations
        lock (_gate) return Task.Run(() => ExportAsync(html, formats, scale)).GetAwaiter().GetResult().ToArray();
    };

    public async ValueTask DisposeAsync()
    {
        if (_browser != null) await _browser.CloseAsync();
        _playwright?.Dispose();
        _browser = null;
        _playwright = null;
    }
}
