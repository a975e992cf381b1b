using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Markdig;
using Markdig.Extensions.Mathematics;
using Markdig.Renderers;
using Markdig.Renderers.Html;
using Markdig.Syntax;
using Markdig.Syntax.Inlines;

namespace SelfSim.Cli.Site;

/// <summary>
/// Renders an executed notebook (nbformat 4 JSON) as the body of one HTML page, in this process, with no Python:
/// Markdown cells through Markdig (raw HTML in them is shown as text, never passed through, and only http(s), mailto,
/// fragment and relative links are kept, so a cell cannot put a script or an on* handler on the page), LaTeX math
/// shown readably (<see cref="TexText"/>), code cells highlighted as C# (<see cref="CSharpHighlighter"/>), and outputs
/// by MIME type as nbconvert picks them: text/html (tables, Plotly charts) as the kernel wrote it, then SVG, PNG,
/// JPEG, Markdown, plain text; streams and errors as preformatted text.
/// </summary>
public static class NotebookHtml
{
    static readonly MarkdownPipeline Pipeline = new MarkdownPipelineBuilder()
        .UsePipeTables().UseEmphasisExtras().UseListExtras().UseTaskLists().UseAutoLinks().UseFootnotes()
        .UseAutoIdentifiers().UseMathematics()
        .DisableHtml()
        .Build();

    /// <summary>The notebook's cells as HTML. <paramref name="linkFor"/> rewrites a link target (e.g. a chapter's
    /// .ipynb to its page); it gets only relative targets.</summary>
    public static string Render(JsonObject notebook, Func<string, string>? linkFor = null)
    {
        var sb = new StringBuilder();
        foreach (var cell in notebook["cells"]?.AsArray().OfType<JsonObject>() ?? Enumerable.Empty<JsonObject>())
        {
            var source = Text(cell["source"]);
            switch ((string?)cell["cell_type"])
            {
                case "markdown":
                    sb.Append("<div class=\"cell md\">\n").Append(Markdown(source, linkFor)).Append("</div>\n");
                    break;
                case "code":
                    var count = cell["execution_count"] is JsonValue v && v.TryGetValue<int>(out var n) ? n.ToString() : " ";
                    sb.Append("<div class=\"cell code\">\n<div class=\"in\"><span class=\"prompt\">[").Append(count)
                      .Append("]:</span><pre class=\"cs\">").Append(CSharpHighlighter.ToHtml(source)).Append("</pre></div>\n");
                    var outputs = cell["outputs"]?.AsArray().OfType<JsonObject>().ToList() ?? new List<JsonObject>();
                    if (outputs.Count > 0)
                    {
                        sb.Append("<div class=\"out\">\n");
                        foreach (var o in outputs) sb.Append(Output(o, linkFor));
                        sb.Append("</div>\n");
                    }
                    sb.Append("</div>\n");
                    break;
                default:
                    if (source.Length > 0) sb.Append("<div class=\"cell raw\"><pre>").Append(Enc(source)).Append("</pre></div>\n");
                    break;
            }
        }
        return sb.ToString();
    }

    /// <summary>Markdown as HTML, sanitised: raw HTML is escaped (Markdig's DisableHtml), unsafe link schemes dropped.</summary>
    public static string Markdown(string markdown, Func<string, string>? linkFor = null)
    {
        var doc = Markdig.Markdown.Parse(markdown, Pipeline);
        foreach (var link in doc.Descendants<LinkInline>())
            link.Url = SafeUrl(link.Url, linkFor);
        foreach (var link in doc.Descendants<AutolinkInline>())
            if (SafeUrl(link.Url, null) == "#") link.Url = "#";
        var writer = new StringWriter();
        var renderer = new HtmlRenderer(writer);
        Pipeline.Setup(renderer);
        renderer.ObjectRenderers.ReplaceOrAdd<HtmlMathInlineRenderer>(new MathInlineText());
        renderer.ObjectRenderers.ReplaceOrAdd<HtmlMathBlockRenderer>(new MathBlockText());
        renderer.Render(doc);
        writer.Flush();
        return writer.ToString();
    }

    static readonly Regex Scheme = new(@"^[A-Za-z][A-Za-z0-9+.\-]*:");

    /// <summary>http(s) and mailto links as they are; relative ones through <paramref name="linkFor"/>; any other scheme
    /// (javascript:, data:, vbscript:, file:) becomes "#".</summary>
    static string? SafeUrl(string? url, Func<string, string>? linkFor)
    {
        if (url == null) return null;
        var trimmed = new string(url.Where(ch => !char.IsControl(ch) && !char.IsWhiteSpace(ch)).ToArray());
        var m = Scheme.Match(trimmed);
        if (m.Success)
            return m.Value.ToLowerInvariant() is "http:" or "https:" or "mailto:" ? url : "#";
        if (trimmed.StartsWith("//", StringComparison.Ordinal)) return url;
        return linkFor != null && !trimmed.StartsWith('#') ? linkFor(url) : url;
    }

    static string Output(JsonObject o, Func<string, string>? linkFor)
    {
        switch ((string?)o["output_type"])
        {
            case "stream":
                var name = (string?)o["name"] == "stderr" ? "stderr" : "stdout";
                return $"<pre class=\"{name}\">{Enc(Ansi(Text(o["text"])))}</pre>\n";
            case "error":
                var trace = o["traceback"] is JsonArray tb && tb.Count > 0
                    ? string.Join("\n", tb.Select(x => (string?)x ?? ""))
                    : $"{(string?)o["ename"]}: {(string?)o["evalue"]}";
                return $"<pre class=\"error\">{Enc(Ansi(trace))}</pre>\n";
            case "display_data":
            case "execute_result":
                return o["data"] is JsonObject data ? Data(data, linkFor) : "";
            default:
                return "";
        }
    }

    static string Data(JsonObject data, Func<string, string>? linkFor)
    {
        if (data["text/html"] is JsonNode html)
            return "<div class=\"html\">" + DropInlinePlotly(Text(html)) + "</div>\n";
        if (data["image/svg+xml"] is JsonNode svg)
            return "<div class=\"img\"><img alt=\"figure\" src=\"data:image/svg+xml;base64," +
                   Convert.ToBase64String(Encoding.UTF8.GetBytes(Text(svg))) + "\"></div>\n";
        foreach (var mime in new[] { "image/png", "image/jpeg", "image/gif" })
            if (data[mime] is JsonNode img)
            {
                var b64 = Regex.Replace(Text(img), @"\s+", "");
                return Regex.IsMatch(b64, "^[A-Za-z0-9+/=]*$")
                    ? $"<div class=\"img\"><img alt=\"figure\" src=\"data:{mime};base64,{b64}\"></div>\n"
                    : "";
            }
        if (data["text/markdown"] is JsonNode md)
            return "<div class=\"md\">" + Markdown(Text(md), linkFor) + "</div>\n";
        if (data["text/plain"] is JsonNode plain)
            return $"<pre class=\"plain\">{Enc(Ansi(Text(plain)))}</pre>\n";
        return "";
    }

    /// <summary>The first chart of a kernel session carries plotly.js inline (about 3.6 MB, ChartDisplay); the page
    /// loads the site's one local copy instead.</summary>
    public static string DropInlinePlotly(string html) =>
        Regex.Replace(html, @"<script type=""text/javascript"">\(function\(define, module, exports\)\{.*?\}\)\.call\(window\);</script>\s*", "",
            RegexOptions.Singleline);

    /// <summary>nbformat's multiline string: a string or an array of lines.</summary>
    public static string Text(JsonNode? node) => node switch
    {
        JsonArray a => string.Concat(a.Select(x => (string?)x)),
        JsonValue v when v.TryGetValue<string>(out var s) => s,
        null => "",
        _ => node.ToJsonString(),
    };

    /// <summary>Terminal colour codes (in tracebacks) removed.</summary>
    static string Ansi(string s) => Regex.Replace(s, @"\x1B\[[0-9;]*[A-Za-z]", "");

    static string Enc(string s) => WebUtility.HtmlEncode(s);

    /// <summary>$…$ (and $$…$$ inside a paragraph) as readable text; the exact TeX in the title.</summary>
    sealed class MathInlineText : HtmlObjectRenderer<MathInline>
    {
        protected override void Write(HtmlRenderer renderer, MathInline obj)
        {
            var tex = obj.Content.ToString();
            // $$…$$ within a paragraph is display math: its own centred line (a block span, valid inside <p>)
            renderer.Write(obj.DelimiterCount >= 2 ? "<span class=\"math display\" title=\"" : "<span class=\"math\" title=\"").Write(Enc(tex)).Write("\">").Write(TexText.ToHtml(tex)).Write("</span>");
        }
    }

    /// <summary>$$…$$ as a centred line of readable text; the exact TeX in the title.</summary>
    sealed class MathBlockText : HtmlObjectRenderer<MathBlock>
    {
        protected override void Write(HtmlRenderer renderer, MathBlock obj)
        {
            var tex = string.Join("\n", obj.Lines.Lines.Take(obj.Lines.Count).Select(l => l.Slice.ToString()));
            renderer.EnsureLine();
            renderer.Write("<div class=\"math display\" title=\"").Write(Enc(tex)).Write("\">").Write(TexText.ToHtml(tex)).WriteLine("</div>");
        }
    }
}
