using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace SelfSim.Cli.Site;

/// <summary>One chapter page of the site.</summary>
public sealed record SiteChapter(string Notebook, string Page, string Title, string Summary, double? Seconds);

/// <summary>
/// Writes a browsable, offline copy of executed notebooks: one HTML page per notebook (Jupyter's own nbconvert
/// renders markdown, code and outputs) and an index.html with the chapter list. Pages draw their charts with one
/// local plotly.js next to them (the copy Plotly.NET embeds), never a CDN, so the folder opens from the file system.
/// </summary>
public static class SiteBuilder
{
    /// <summary>The Python that runs nbconvert: $SELFSIM_PYTHON, else /usr/bin/python3 (Debian's, with python3-nbconvert).</summary>
    public const string PythonVariable = "SELFSIM_PYTHON";
    const string DebianRequireJs = "/usr/share/javascript/requirejs/require.min.js";

    public static string Python
    {
        get
        {
            var env = Environment.GetEnvironmentVariable(PythonVariable);
            return string.IsNullOrWhiteSpace(env) ? "/usr/bin/python3" : env;
        }
    }

    /// <summary>Builds <paramref name="siteDir"/> from the executed notebooks (files or folders of .ipynb).
    /// <paramref name="seconds"/> gives each notebook's run time by file name, when known; <paramref name="size"/> is
    /// the run size the notebooks were executed at (shown on every page; smoke runs are marked as such).
    /// <paramref name="sourceDir"/> is the folder of the source notebooks: its measured/ results are copied into the site
    /// so the chapters' links to them work offline.</summary>
    public static IReadOnlyList<SiteChapter> Build(IEnumerable<string> notebooks, string siteDir, string size,
        IReadOnlyDictionary<string, double>? seconds = null, Action<string>? log = null, string? sourceDir = null)
    {
        var files = notebooks.SelectMany<string, string>(p => Directory.Exists(p)
                ? Directory.GetFiles(p, "*.ipynb").OrderBy(f => f, StringComparer.Ordinal)
                : File.Exists(p) ? new[] { p } : throw new FileNotFoundException($"site: executed notebook {p} does not exist", p))
            .ToList();
        if (files.Count == 0) throw new SelfSimException("site: no executed notebooks (.ipynb) were given; run `selfsim run notebooks --out DIR` first.");
        Directory.CreateDirectory(siteDir);
        var plotly = WritePlotly(siteDir);
        var requireJs = File.Exists(DebianRequireJs) ? CopyRequireJs(siteDir) : null;
        var chapters = new List<SiteChapter>();
        var pages = files.Select(f => Path.GetFileNameWithoutExtension(f).Replace(".executed", "")).ToHashSet();
        if (sourceDir != null && Directory.Exists(Path.Combine(sourceDir, "measured")))
            CopyTree(Path.Combine(sourceDir, "measured"), Path.Combine(siteDir, "measured"));
        foreach (var nb in files)
        {
            var stem = Path.GetFileNameWithoutExtension(nb).Replace(".executed", "");
            var page = stem + ".html";
            var doc = JsonNode.Parse(File.ReadAllText(nb))?.AsObject()
                      ?? throw new SelfSimException($"site: {nb} is not a notebook (JSON object expected).");
            var (title, summary) = Describe(doc, stem);
            var html = Convert(nb, doc, stem);
            html = MakeOffline(html, plotly, requireJs);
            html = AddHeader(html, title, size);
            // links between chapters point at their pages, not at the .ipynb files
            html = Regex.Replace(html, @"href=""([^""/]+)\.ipynb""", m => pages.Contains(m.Groups[1].Value)
                ? $"href=\"{m.Groups[1].Value}.html\"" : m.Value);
            AtomicFile.WriteAllText(Path.Combine(siteDir, page), html);
            double? s = seconds != null && seconds.TryGetValue(Path.GetFileName(nb), out var v) ? v : null;
            chapters.Add(new SiteChapter(nb, page, title, summary, s));
            log?.Invoke($"site: {page}");
        }
        AtomicFile.WriteAllText(Path.Combine(siteDir, "index.html"), Index(chapters, size));
        log?.Invoke($"site: {Path.Combine(siteDir, "index.html")} ({chapters.Count} chapters)");
        return chapters;
    }

    /// <summary>Why the site cannot be built here, or null when it can.</summary>
    public static string? Unavailable()
    {
        try
        {
            var (code, _, err) = RunPython("-c \"import nbconvert\"", TimeSpan.FromSeconds(60));
            return code == 0 ? null
                : $"the site needs Jupyter's nbconvert for {Python} ({err.Trim().Split('\n').LastOrDefault()}); " +
                  $"install it with `apt-get install python3-nbconvert`, or set {PythonVariable} to a Python that has it.";
        }
        catch (Exception e) when (e is System.ComponentModel.Win32Exception or FileNotFoundException)
        {
            return $"the site needs Python with nbconvert and {Python} could not be started ({e.Message}); " +
                   $"install python3-nbconvert or set {PythonVariable}.";
        }
    }

    /// <summary>The chapter's title (its first "# " heading, without the "NN · " prefix) and its first prose paragraph.</summary>
    static (string Title, string Summary) Describe(JsonObject doc, string fallback)
    {
        foreach (var cell in doc["cells"]?.AsArray() ?? new JsonArray())
        {
            if ((string?)cell?["cell_type"] != "markdown") continue;
            var text = Source(cell!["source"]);
            var heading = Regex.Match(text, @"^#\s+(.+)$", RegexOptions.Multiline);
            if (!heading.Success) continue;
            var title = heading.Groups[1].Value.Trim();
            var after = text[(heading.Index + heading.Length)..];
            var para = after.Split("\n\n", StringSplitOptions.RemoveEmptyEntries).Select(p => p.Trim())
                .FirstOrDefault(p => p.Length > 0 && !p.StartsWith('|') && !p.StartsWith('#')) ?? "";
            para = Regex.Replace(para, @"\s+", " ");
            para = Regex.Replace(para, @"[*`]", "");
            if (para.Length > 260) para = para[..257].TrimEnd() + "…";
            return (title, para);
        }
        return (fallback, "");
    }

    static string Source(JsonNode? source) => source switch
    {
        JsonArray a => string.Concat(a.Select(x => (string?)x)),
        JsonValue v => (string?)v ?? "",
        _ => "",
    };

    /// <summary>Runs nbconvert on a copy that names the C# lexer, so code cells are highlighted.</summary>
    static string Convert(string notebook, JsonObject doc, string stem)
    {
        var tmp = Path.Combine(Path.GetTempPath(), "selfsim-site-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(tmp);
        try
        {
            var meta = doc["metadata"] as JsonObject ?? (JsonObject)(doc["metadata"] = new JsonObject());
            var lang = meta["language_info"] as JsonObject ?? (JsonObject)(meta["language_info"] = new JsonObject { ["name"] = "C#" });
            lang["pygments_lexer"] = "csharp";
            var input = Path.Combine(tmp, stem + ".ipynb");
            File.WriteAllText(input, doc.ToJsonString());
            var (code, _, err) = RunPython(
                $"-m nbconvert --to html --output-dir \"{tmp}\" --output page \"{input}\"", TimeSpan.FromMinutes(5));
            var output = Path.Combine(tmp, "page.html");
            if (code != 0 || !File.Exists(output))
                throw new SelfSimException($"site: nbconvert could not render {notebook}: {err.Trim().Split('\n').LastOrDefault()} " +
                                           (Unavailable() ?? ""));
            return File.ReadAllText(output);
        }
        finally
        {
            try { Directory.Delete(tmp, true); } catch (IOException) { }
        }
    }

    /// <summary>Points every plotly.js and require.js reference at the local copies, drops the copy of plotly.js a
    /// notebook carries inline, and loads plotly.js before require.js (so it defines the global Plotly that the chart
    /// outputs use).</summary>
    public static string MakeOffline(string html, string plotlyFile, string? requireFile)
    {
        var stem = plotlyFile[..^".js".Length];
        html = Regex.Replace(html, @"https://cdn\.plot\.ly/plotly-[\d.]+(\.min)?\.js", plotlyFile);
        html = Regex.Replace(html, @"https://cdn\.plot\.ly/plotly-[\d.]+(\.min)?(?=['""])", stem);
        if (requireFile != null)
        {
            html = html.Replace("file://" + DebianRequireJs, requireFile);
            html = Regex.Replace(html, @"https://cdnjs\.cloudflare\.com/ajax/libs/require\.js/[\d.]+/require\.min\.js", requireFile);
        }
        // the notebook's first chart carries plotly.js inline (3.6 MB, ChartDisplay); the page loads the local copy instead
        html = Regex.Replace(html, @"<script type=""text/javascript"">\(function\(define, module, exports\)\{.*?\}\)\.call\(window\);</script>\s*", "",
            RegexOptions.Singleline);
        // the chapters write formulas in plain text; MathJax (a file:/// link on Debian) would only flash a loading banner
        html = Regex.Replace(html, @"<script src=""[^""]*MathJax\.js[^""]*"">\s*</script>", "");
        var head = Regex.Match(html, @"<head[^>]*>", RegexOptions.IgnoreCase);
        var tag = $"\n<script src=\"{plotlyFile}\"></script>\n";
        return head.Success ? html.Insert(head.Index + head.Length, tag) : tag + html;
    }

    static string AddHeader(string html, string title, string size)
    {
        var body = Regex.Match(html, @"<body[^>]*>", RegexOptions.IgnoreCase);
        if (!body.Success) return html;
        var sb = new StringBuilder();
        sb.Append("\n<nav style=\"font:14px Arial,Helvetica,sans-serif;padding:8px 16px;border-bottom:1px solid #ddd;background:#fafafa\">")
          .Append("<a href=\"index.html\">← all chapters</a> · ").Append(Enc(title)).Append(" · ")
          .Append(SizeBadge(size)).Append("</nav>\n");
        if (size == "smoke") sb.Append(SmokeBanner);
        return html.Insert(body.Index + body.Length, sb.ToString());
    }

    const string SmokeBanner =
        "<div style=\"font:14px Arial,Helvetica,sans-serif;padding:8px 16px;background:#fff3cd;border-bottom:1px solid #e0c36c\">" +
        "<b>Smoke run.</b> A pipeline check at tiny settings: the models are barely trained and no number here is a finding. " +
        "Run the default size (<code>selfsim run notebooks</code>) for real results.</div>\n";

    static string SizeBadge(string size) => size switch
    {
        "smoke" => "<b style=\"color:#9a6700\">size: smoke (pipeline check, not findings)</b>",
        _ => $"size: {Enc(size)}",
    };

    static string Index(IReadOnlyList<SiteChapter> chapters, string size)
    {
        var sb = new StringBuilder();
        sb.Append("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<title>selfsim notebooks</title>\n")
          .Append("<style>body{font:15px/1.5 Arial,Helvetica,sans-serif;max-width:60em;margin:2em auto;padding:0 1em;color:#222}")
          .Append("table{border-collapse:collapse;width:100%}td,th{border-bottom:1px solid #ddd;padding:6px 8px;text-align:left;vertical-align:top}")
          .Append("th{background:#f3f3f3}td:first-child{width:30%}td.n{white-space:nowrap;text-align:right}</style>\n</head>\n<body>\n")
          .Append("<h1>Self-similarity in deep networks: the notebooks</h1>\n")
          .Append("<p>Executed chapters of the <b>selfsim</b> collection, which reproduces and extends <i>Self-similarity Analysis ")
          .Append("in Deep Neural Networks</i> (Ding et al., arXiv 2507.17785). Each page holds the chapter's prose, code and ")
          .Append("outputs with interactive charts; everything works offline from this folder.</p>\n")
          .Append("<p>").Append(SizeBadge(size)).Append(" · built ").Append(DateTime.UtcNow.ToString("yyyy-MM-dd HH:mm")).Append(" UTC</p>\n");
        if (size == "smoke") sb.Append(SmokeBanner);
        sb.Append("<table>\n<thead><tr><th>chapter</th><th>what it shows</th><th>run time</th></tr></thead>\n<tbody>\n");
        foreach (var c in chapters)
        {
            sb.Append("<tr><td><a href=\"").Append(Uri.EscapeDataString(c.Page)).Append("\">").Append(Enc(c.Title)).Append("</a></td><td>")
              .Append(Enc(c.Summary)).Append("</td><td class=\"n\">")
              .Append(c.Seconds is double s ? (s >= 90 ? $"{s / 60:F1} min" : $"{s:F0} s") : "–").Append("</td></tr>\n");
        }
        sb.Append("</tbody>\n</table>\n</body>\n</html>\n");
        return sb.ToString();
    }

    static void CopyTree(string from, string to)
    {
        foreach (var file in Directory.GetFiles(from, "*", SearchOption.AllDirectories))
        {
            var target = Path.Combine(to, Path.GetRelativePath(from, file));
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            File.Copy(file, target, overwrite: true);
        }
    }

    static string WritePlotly(string siteDir)
    {
        var asm = typeof(Plotly.NET.GenericChart).Assembly;
        var res = asm.GetManifestResourceNames().First(n => Regex.IsMatch(n, @"plotly-[\d.]+\.min\.js$"));
        var name = Regex.Match(res, @"plotly-[\d.]+\.min\.js$").Value;
        var target = Path.Combine(siteDir, name);
        using var s = asm.GetManifestResourceStream(res)!;
        using var ms = new MemoryStream();
        s.CopyTo(ms);
        AtomicFile.WriteAllBytes(target, ms.ToArray());
        return name;
    }

    static string CopyRequireJs(string siteDir)
    {
        const string name = "require.min.js";
        AtomicFile.WriteAllBytes(Path.Combine(siteDir, name), File.ReadAllBytes(DebianRequireJs));
        return name;
    }

    static (int Code, string Out, string Err) RunPython(string args, TimeSpan timeout)
    {
        var psi = new ProcessStartInfo(Python, args)
        {
            RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false,
        };
        using var p = Process.Start(psi) ?? throw new SelfSimException($"site: could not start {Python}.");
        var stdout = p.StandardOutput.ReadToEndAsync();
        var stderr = p.StandardError.ReadToEndAsync();
        if (!p.WaitForExit((int)timeout.TotalMilliseconds))
        {
            p.Kill(true);
            throw new SelfSimException($"site: {Python} {args} did not finish within {timeout.TotalSeconds:F0} s.");
        }
        return (p.ExitCode, stdout.Result, stderr.Result);
    }

    static string Enc(string s) => WebUtility.HtmlEncode(s);
}
