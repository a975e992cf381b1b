using System.IO;
using System.Linq;
using System.Text.Json;
using System.Text.Json.Nodes;
using Xunit;

namespace SelfSim.Tests.Notebooks;

/// <summary>The output checker of the notebook tests reads outputs only: a phrase in a cell's source is not found.</summary>
public sealed class NotebookOutputsTests
{
    static JsonObject Notebook(string source, string outputJson) => (JsonObject)JsonNode.Parse(
        "{\"cells\":[{\"cell_type\":\"code\",\"source\":" + JsonSerializer.Serialize(source) +
        ",\"outputs\":" + outputJson + "}]}")!;

    const string Cell = "display($\"Ranking by mean S (highest first): {order}\");";

    [Fact]
    public void A_phrase_only_in_the_source_is_missing()
    {
        // A broken run: the cell's code names the phrase, but it failed and printed an error instead.
        var broken = Notebook(Cell, "[{\"output_type\":\"error\",\"ename\":\"Error\",\"evalue\":\"(3,1): error CS0103\"," +
                                    "\"traceback\":[]}]");
        Assert.Contains("Ranking by mean S", broken.ToJsonString());                  // the old check passed on this
        Assert.Equal(new[] { "Ranking by mean S" }, NotebookOutputs.Missing(broken, new[] { "Ranking by mean S" }));
        // ... and a cell that ran but showed something else
        var other = Notebook(Cell, "[{\"output_type\":\"display_data\",\"data\":{\"text/plain\":\"Ranking: –\"}}]");
        Assert.Single(NotebookOutputs.Missing(other, new[] { "Ranking by mean S" }));
    }

    [Fact]
    public void A_phrase_in_a_stream_plain_or_html_output_is_found_also_when_html_escaped()
    {
        var stream = Notebook("", "[{\"output_type\":\"stream\",\"name\":\"stdout\",\"text\":[\"Ranking by \",\"mean S\"]}]");
        Assert.Empty(NotebookOutputs.Missing(stream, new[] { "Ranking by mean S" }));
        var html = Notebook("", "[{\"output_type\":\"execute_result\",\"data\":{\"text/html\":" +
                                "\"<td>8&#215;16&#215;28&#215;28</td><td>&#945;&#770; by hand</td>\"}}]");
        Assert.Empty(NotebookOutputs.Missing(html, new[] { "8×16×28×28", "α̂ by hand" }));
    }

    [Fact]
    public void Committed_notebooks_have_no_outputs_so_every_expected_phrase_is_missing_there()
    {
        // The chapters are committed without outputs. Their expected phrases often sit in their own source (a
        // caption, a format string): the checker must still find none of them.
        foreach (var (name, phrases) in NotebookOutputs.Expected)
        {
            var nb = (JsonObject)JsonNode.Parse(File.ReadAllText(Path.Combine(RepoPaths.Notebooks, name + ".ipynb")))!;
            Assert.Equal(phrases, NotebookOutputs.Missing(nb, phrases));
        }
        var nb04 = File.ReadAllText(Path.Combine(RepoPaths.Notebooks, "04-architectures.ipynb"));
        Assert.Contains("Ranking by mean S", nb04);
    }
    [Fact]
    public void Every_chapter_names_what_its_outputs_must_show()
    {
        // A new chapter without phrases would pass the kernel test on any output; it must list some.
        var chapters = Directory.GetFiles(RepoPaths.Notebooks, "*.ipynb")
            .Select(f => Path.GetFileNameWithoutExtension(f)!).Order().ToList();
        Assert.NotEmpty(chapters);
        Assert.Empty(chapters.Where(c => !NotebookOutputs.Expected.ContainsKey(c)));
        Assert.All(NotebookOutputs.Expected.Values, p => Assert.True(p.Length >= 2));
    }
}
