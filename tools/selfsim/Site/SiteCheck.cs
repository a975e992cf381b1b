using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Threading.Tasks;
using Microsoft.Playwright;
using SelfSim.Cli.Notebooks;

namespace SelfSim.Cli.Site;

/// <summary>What a browser saw on one page of the site.</summary>
public sealed record SitePageCheck(string Page, int Charts, int DrawnCharts, int Traces, int Links, string? Screenshot,
    IReadOnlyList<string> Errors)
{
    /// <summary>Every chart on the page drew (an SVG .main-svg with at least one plotted trace).</summary>
    public bool ChartsDraw => Charts == DrawnCharts && (Charts == 0 || Traces > 0);
}

/// <summary>
/// Opens pages of the site in a real Chromium (Debian's, through Playwright, no network) from the file system and
/// reports whether the charts drew: each Plotly graph has an SVG <c>.main-svg</c> with plotted traces. Saves a
/// full-page screenshot of each page when asked.
/// </summary>
public static class SiteCheck
{
    public static async Task<IReadOnlyList<SitePageCheck>> RunAsync(string siteDir, IEnumerable<string> pages, string? screenshotDir)
    {
        var exe = StaticFigureExporter.FindChromium() ?? throw new SelfSimException(StaticFigureExporter.Unavailable()!);
        if (screenshotDir != null) Directory.CreateDirectory(screenshotDir);
        using var pw = await Playwright.CreateAsync();
        await using var browser = await pw.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = exe,
            Headless = true,
            Args = new[] { "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                           "--disable-component-update", "--disable-sync", "--disable-dev-shm-usage", "--no-first-run" },
        });
        var results = new List<SitePageCheck>();
        foreach (var page in pages)
        {
            var path = Path.GetFullPath(Path.Combine(siteDir, page));
            if (!File.Exists(path)) throw new FileNotFoundException($"site page {path} does not exist", path);
            var context = await browser.NewContextAsync(new BrowserNewContextOptions { ViewportSize = new ViewportSize { Width = 1200, Height = 900 } });
            // Offline for real: any request that leaves the file system fails, so a CDN reference would show as an undrawn chart.
            await context.RouteAsync(url => !url.StartsWith("file:", StringComparison.Ordinal), r => r.AbortAsync());
            var tab = await context.NewPageAsync();
            var errors = new List<string>();
            tab.PageError += (_, e) => errors.Add(e);
            await tab.GotoAsync(new Uri(path).AbsoluteUri, new PageGotoOptions { WaitUntil = WaitUntilState.Load, Timeout = 120_000 });
            int charts = await tab.EvaluateAsync<int>("() => [...document.scripts].filter(s => s.text.includes('newPlot(') && !s.text.includes('plotly.js v')).length");
            if (charts > 0)
            {
                try
                {
                    await tab.WaitForFunctionAsync(
                        "n => [...document.querySelectorAll('.js-plotly-plot')].filter(g => g.querySelector('svg.main-svg')).length >= n",
                        charts, new PageWaitForFunctionOptions { Timeout = 60_000 });
                }
                catch (TimeoutException) { errors.Add("charts did not draw within 60 s"); }
            }
            int drawn = await tab.EvaluateAsync<int>(
                "() => [...document.querySelectorAll('.js-plotly-plot')].filter(g => g.querySelector('svg.main-svg')).length");
            int traces = await tab.EvaluateAsync<int>(
                "() => document.querySelectorAll('.js-plotly-plot svg.main-svg g.trace, .js-plotly-plot svg.main-svg g.hm, .js-plotly-plot .gl-container canvas').length");
            int links = await tab.EvaluateAsync<int>("() => document.querySelectorAll('a[href]').length");
            string? shot = null;
            if (screenshotDir != null)
            {
                shot = Path.Combine(screenshotDir, Path.ChangeExtension(Path.GetFileName(page), ".png"));
                await tab.ScreenshotAsync(new PageScreenshotOptions { Path = shot, FullPage = false });
                if (drawn > 0)
                {
                    // a second picture with the first chart in view
                    await tab.Locator(".js-plotly-plot").First.ScrollIntoViewIfNeededAsync();
                    await tab.ScreenshotAsync(new PageScreenshotOptions
                    {
                        Path = Path.Combine(screenshotDir, Path.GetFileNameWithoutExtension(page) + "-chart.png"),
                        FullPage = false,
                    });
                }
            }
            results.Add(new SitePageCheck(page, charts, drawn, traces, links, shot, errors));
            await context.CloseAsync();
        }
        return results;
    }
}

/// <summary>The check the CLI runs after building a site: every page in a browser, one line each.</summary>
public static class SiteChecks
{
    /// <summary>Opens the index and every chapter; prints what drew; false when a page's charts did not draw.
    /// <paramref name="screenshotDir"/> null: no screenshots.</summary>
    public static async Task<bool> ReportAsync(string siteDir, IReadOnlyList<SiteChapter> chapters, string? screenshotDir)
    {
        var pages = chapters.Select(c => c.Page).Prepend("index.html").ToList();
        var checks = await SiteCheck.RunAsync(siteDir, pages, screenshotDir);
        bool ok = true;
        foreach (var c in checks)
        {
            Console.Error.WriteLine($"site check: {c.Page}: {c.DrawnCharts}/{c.Charts} charts drawn, {c.Traces} traces, " +
                                    $"{c.Links} links{(c.Errors.Count > 0 ? "; " + string.Join("; ", c.Errors) : "")}" +
                                    (c.Screenshot != null ? $" -> {c.Screenshot}" : ""));
            ok &= c.ChartsDraw;
        }
        return ok;
    }
}
