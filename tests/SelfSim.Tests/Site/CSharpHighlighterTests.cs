using SelfSim.Cli.Site;
using Xunit;

namespace SelfSim.Tests.Site;

/// <summary>The site's C# highlighting, checked span by span on hand-written cells.</summary>
public sealed class CSharpHighlighterTests
{
    [Fact]
    public void Directives_keywords_strings_numbers_comments_and_types_get_their_classes()
    {
        var html = CSharpHighlighter.ToHtml("#r \"nuget: Plotly.NET, 6.0.0\"\nvar n = 1e-3; // tiny\nGraph g = new(\"a<b\");");
        Assert.Equal(
            "<span class=\"cp\">#r &quot;nuget: Plotly.NET, 6.0.0&quot;</span>\n" +
            "<span class=\"k\">var</span> n = <span class=\"m\">1e-3</span>; <span class=\"c\">// tiny</span>\n" +
            "<span class=\"nc\">Graph</span> g = <span class=\"k\">new</span>(<span class=\"s\">&quot;a&lt;b&quot;</span>);",
            html);
    }

    [Fact]
    public void Interpolated_verbatim_and_raw_strings_end_where_CSharp_ends_them()
    {
        // the "}" inside the hole's string and the doubled quote do not end the literal early
        Assert.Equal("<span class=\"s\">$&quot;{(x ? &quot;}&quot; : y)} done&quot;</span>;",
            CSharpHighlighter.ToHtml("$\"{(x ? \"}\" : y)} done\";"));
        Assert.Equal("<span class=\"s\">@&quot;C:\\a&quot;&quot;b&quot;</span> + x",
            CSharpHighlighter.ToHtml("@\"C:\\a\"\"b\" + x"));
        Assert.Equal("<span class=\"s\">&quot;&quot;&quot;a &quot; b&quot;&quot;&quot;</span>;",
            CSharpHighlighter.ToHtml("\"\"\"a \" b\"\"\";"));
        Assert.Equal("<span class=\"s\">&#39;\\&#39;&#39;</span>", CSharpHighlighter.ToHtml("'\\''"));
    }

    [Fact]
    public void Text_outside_tokens_is_encoded_and_kept_whole()
    {
        const string code = "if (a < b && c > d) { x.Y(z); }\n  /* block\n comment */ return;";
        var html = CSharpHighlighter.ToHtml(code);
        Assert.DoesNotContain("<b", html.Replace("<span", ""));
        var text = System.Net.WebUtility.HtmlDecode(System.Text.RegularExpressions.Regex.Replace(html, "<[^>]+>", ""));
        Assert.Equal(code, text);
    }
}
