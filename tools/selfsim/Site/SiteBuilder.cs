using System;
using System.Collections.Generic;
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
/// Writes a browsable, offline copy of executed notebooks: one HTML page per notebook (rendered here by
/// <see cref="NotebookHtml"/>: Markdown through Markdig, highlighted C#, outputs; no Python) and an index.html with the
/// chapter list and run times. Pages draw their charts with one local plotly.js next to them (the copy Plotly.NET
/// embeds), never a CDN, so the folder opens from the file system. Nothing is started: no notebook name or content
/// ever reaches a process's arguments.
/// </summary>
public static class SiteBuilder
{
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
        var chapters = new List<SiteChapter>();
        var pages = files.Select(f => Path.GetFileNameWithoutExtension(f).Replace(".executed", "")).ToHashSet();
        if (sourceDir != null && Directory.Exists(Path.Combine(sourceDir, "measured")))
            CopyTree(Path.Combine(sourceDir, "measured"), Path.Combine(siteDir, "measured"));
        // links between chapters point at their pages, not at the .ipynb files
        string LinkFor(string url)
        {
            var m = Regex.Match(url, @"^([^/#?]+)\.ipynb(#.*)?$");
            return m.Success && pages.Contains(m.Groups[1].Value) ? m.Groups[1].Value + ".html" + m.Groups[2].Value : url;
        }
        foreach (var nb in files)
        {
            var stem = Path.GetFileNameWithoutExtension(nb).Replace(".executed", "");
            var page = stem + ".html";
            JsonObject doc;
            try
            {
                doc = JsonNode.Parse(File.ReadAllText(nb))?.AsObject()
                      ?? throw new SelfSimException($"site: {nb} is not a notebook (JSON object expected).");
            }
            catch (System.Text.Json.JsonException e)
            {
                throw new SelfSimException($"site: {nb} is not a notebook ({e.Message}); pass the executed notebooks `selfsim run --out DIR` wrote.");
            }
            var (title, summary) = Describe(doc, stem);
            var html = Page(title, size, plotly, MakeOffline(NotebookHtml.Render(doc, LinkFor), plotly));
            AtomicFile.WriteAllText(Path.Combine(siteDir, page), html);
            double? s = seconds != null && seconds.TryGetValue(Path.GetFileName(nb), out var v) ? v : null;
            chapters.Add(new SiteChapter(nb, page, title, summary, s));
            log?.Invoke($"site: {page}");
        }
        AtomicFile.WriteAllText(Path.Combine(siteDir, "index.html"), Index(chapters, size));
        log?.Invoke($"site: {Path.Combine(siteDir, "index.html")} ({chapters.Count} chapters)");
        return chapters;
    }

    /// <summary>The chapter's title (its first "# " heading, as written) and its first prose paragraph.</summary>
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

    /// <summary>Points every plotly.js reference in the outputs at the local copy and drops the copy of plotly.js a
    /// notebook carries inline.</summary>
    public static string MakeOffline(string html, string plotlyFile)
    {
        var stem = plotlyFile[..^".js".Length];
        html = Regex.Replace(html, @"https://cdn\.plot\.ly/plotly-[\d.]+(\.min)?\.js", plotlyFile);
        html = Regex.Replace(html, @"https://cdn\.plot\.ly/plotly-[\d.]+(\.min)?(?=['""])", stem);
        return NotebookHtml.DropInlinePlotly(html);
    }

    /// <summary>One chapter's page: the local plotly.js, the style, the navigation bar, the smoke banner, the cells.</summary>
    static string Page(string title, string size, string plotlyFile, string body)
    {
        var sb = new StringBuilder();
        sb.Append("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n")
          .Append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n<title>").Append(Enc(title)).Append("</title>\n")
          .Append("<script src=\"").Append(Enc(plotlyFile)).Append("\"></script>\n<style>").Append(PageStyle).Append("</style>\n</head>\n<body>\n")
          .Append("<nav><a href=\"index.html\">← all chapters</a> · ").Append(Enc(title)).Append(" · ").Append(SizeBadge(size)).Append("</nav>\n");
        if (size == "smoke") sb.Append(SmokeBanner);
        sb.Append("<main>\n").Append(body).Append("</main>\n</body>\n</html>\n");
        return sb.ToString();
    }

    const string PageStyle =
        "body{margin:0;font:15px/1.55 Georgia,'DejaVu Serif',serif;color:#222;background:#fff}" +
        "nav{font:14px Arial,Helvetica,sans-serif;padding:8px 16px;border-bottom:1px solid #ddd;background:#fafafa}" +
        "main{max-width:64em;margin:0 auto;padding:1em 1.5em 4em}" +
        "h1,h2,h3,h4{font-family:Arial,Helvetica,sans-serif;line-height:1.25}" +
        "code,pre{font:13px/1.45 'DejaVu Sans Mono',Menlo,Consolas,monospace}" +
        ".md code{background:#f3f3f3;padding:0 3px;border-radius:3px}" +
        ".md table{border-collapse:collapse;margin:0.6em 0}.md td,.md th{border:1px solid #ccc;padding:3px 8px}" +
        ".md th{background:#f3f3f3}.md img{max-width:100%}" +
        ".math{font-family:'Latin Modern Math','STIX Two Math','DejaVu Serif',serif;font-style:italic;white-space:nowrap}" +
        ".math.display{display:block;text-align:center;margin:0.6em 0;white-space:normal}" +
        ".cell{margin:0.9em 0}.in{display:flex;gap:6px}" +
        ".prompt{color:#307fc1;font:12px/1.9 monospace;min-width:3.5em;text-align:right;flex:none}" +
        "pre.cs{flex:1;margin:0;padding:6px 10px;background:#f7f7f7;border:1px solid #e0e0e0;border-radius:3px;overflow-x:auto}" +
        ".out{margin:4px 0 0 4.1em;overflow-x:auto}.out pre{margin:2px 0;padding:2px 4px;white-space:pre-wrap}" +
        ".out pre.stderr{background:#fdf0f0}.out pre.error{background:#fdecec;color:#900}.out img{max-width:100%}" +
        ".out table{border-collapse:collapse;font:13px Arial,Helvetica,sans-serif}.out td,.out th{padding:2px 8px}" +
        ".cs .k{color:#0000cc;font-weight:bold}.cs .s{color:#a31515}.cs .c{color:#3d7b3d;font-style:italic}" +
        ".cs .m{color:#098658}.cs .cp{color:#8b008b}.cs .nc{color:#267f99}";

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

    static string Enc(string s) => WebUtility.HtmlEncode(s);
}
