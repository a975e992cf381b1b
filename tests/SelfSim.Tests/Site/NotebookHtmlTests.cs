using System.Text.Json.Nodes;
using SelfSim.Cli.Site;
using Xunit;

namespace SelfSim.Tests.Site;

/// <summary>The site's notebook renderer: Markdown through Markdig with raw HTML escaped and unsafe links dropped,
/// outputs by MIME type in nbconvert's order, code highlighted as C#.</summary>
public sealed class NotebookHtmlTests
{
    static JsonObject Notebook(params JsonNode[] cells) => new() { ["nbformat"] = 4, ["cells"] = new JsonArray(cells) };

    static JsonObject Md(string s) => new() { ["cell_type"] = "markdown", ["source"] = s };

    static JsonObject Code(string s, params JsonNode[] outputs) =>
        new() { ["cell_type"] = "code", ["execution_count"] = 3, ["source"] = s, ["outputs"] = new JsonArray(outputs) };

    [Fact]
    public void Raw_HTML_in_Markdown_never_reaches_the_page()
    {
        var html = NotebookHtml.Markdown(
            "Hi <script>alert(1)</script> and <img src=x onerror=\"alert(2)\">\n\n<div onclick=\"x()\">block</div>\n");
        Assert.DoesNotContain("<script", html);
        Assert.DoesNotContain("<img", html);
        Assert.DoesNotContain("<div", html);
        Assert.Contains("&lt;script&gt;alert(1)&lt;/script&gt;", html);
        Assert.Contains("&lt;div onclick=&quot;x()&quot;&gt;block&lt;/div&gt;", html);
    }

    [Theory]
    [InlineData("[x](javascript:alert(1))")]
    [InlineData("[x](JavaScript:alert(1))")]
    [InlineData("[x](data:text/html;base64,PHNjcmlwdD4=)")]
    [InlineData("![x](vbscript:msgbox)")]
    [InlineData("<javascript:alert(1)>")]
    public void Unsafe_link_schemes_become_a_dead_link(string markdown)
    {
        var html = NotebookHtml.Markdown(markdown);
        Assert.DoesNotContain("script:", html.ToLowerInvariant());
        Assert.DoesNotContain("data:", html);
        Assert.Contains("\"#\"", html);
    }

    [Fact]
    public void Safe_links_stay_and_chapter_links_are_rewritten()
    {
        var html = NotebookHtml.Markdown("[paper](https://arxiv.org/abs/2507.17785), [next](02-box-covering.ipynb#fits), " +
                                         "[top](#intro), [mail](mailto:a@b.org)",
            url => url.Replace(".ipynb", ".html"));
        Assert.Contains("href=\"https://arxiv.org/abs/2507.17785\"", html);
        Assert.Contains("href=\"02-box-covering.html#fits\"", html);
        Assert.Contains("href=\"#intro\"", html);
        Assert.Contains("href=\"mailto:a@b.org\"", html);
    }

    [Fact]
    public void Tables_emphasis_and_math_render()
    {
        var html = NotebookHtml.Markdown("| a | b |\n|---|---|\n| 1 | **2** |\n\nThe slope $d_B$ of\n\n$$N_B \\propto l_B^{-d_B}$$\n");
        Assert.Contains("<table>", html);
        Assert.Contains("<strong>2</strong>", html);
        Assert.Contains("<span class=\"math\" title=\"d_B\">d<sub>B</sub></span>", html);
        Assert.Contains("<span class=\"math display\" title=\"N_B \\propto l_B^{-d_B}\">N<sub>B</sub> ∝ l<sub>B</sub><sup>-d<sub>B</sub></sup></span>", html);
    }

    [Fact]
    public void A_math_block_is_a_centred_line()
    {
        var html = NotebookHtml.Markdown("$$\nS = \\frac{1}{n}\n$$\n");
        Assert.Contains("<div class=\"math display\" title=\"S = \\frac{1}{n}\">S = 1/n</div>", html);
    }

    [Fact]
    public void Outputs_render_by_MIME_type_in_nbconvert_order()
    {
        var both = new JsonObject
        {
            ["output_type"] = "execute_result",
            ["data"] = new JsonObject { ["text/html"] = "<table><tr><td>0.25</td></tr></table>", ["text/plain"] = "ignored" },
        };
        var png = new JsonObject
        {
            ["output_type"] = "display_data",
            ["data"] = new JsonObject { ["image/png"] = "iVBORw0KGgo=\n", ["text/plain"] = "<Image>" },
        };
        var stream = new JsonObject { ["output_type"] = "stream", ["name"] = "stderr", ["text"] = new JsonArray("a < b\n", "c") };
        var error = new JsonObject
        {
            ["output_type"] = "error",
            ["ename"] = "E",
            ["evalue"] = "v",
            ["traceback"] = new JsonArray("\u001b[31mSystem.Exception\u001b[0m: boom"),
        };
        var html = NotebookHtml.Render(Notebook(Code("var x = 1;", both, png, stream, error)));
        Assert.Contains("<span class=\"prompt\">[3]:</span>", html);
        Assert.Contains("<div class=\"html\"><table><tr><td>0.25</td></tr></table></div>", html);
        Assert.DoesNotContain("ignored", html);
        Assert.Contains("<img alt=\"figure\" src=\"data:image/png;base64,iVBORw0KGgo=\">", html);
        Assert.Contains("<pre class=\"stderr\">a &lt; b\nc</pre>", html);
        Assert.Contains("<pre class=\"error\">System.Exception: boom</pre>", html);
    }

    [Fact]
    public void An_image_that_is_not_base64_is_dropped()
    {
        var bad = new JsonObject
        {
            ["output_type"] = "display_data",
            ["data"] = new JsonObject { ["image/png"] = "\"><script>alert(1)</script>" },
        };
        var html = NotebookHtml.Render(Notebook(Code("x", bad)));
        Assert.DoesNotContain("<script", html);
        Assert.DoesNotContain("<img", html);
    }

    [Fact]
    public void Markdown_cells_are_sanitised_inside_a_whole_notebook()
    {
        var html = NotebookHtml.Render(Notebook(Md("# Title\n\n<script>steal()</script>"), Code("1 + 1")));
        Assert.Contains("<h1 id=\"title\">Title</h1>", html);
        Assert.DoesNotContain("<script", html);
        Assert.Contains("<span class=\"m\">1</span> + <span class=\"m\">1</span>", html);
    }
}
