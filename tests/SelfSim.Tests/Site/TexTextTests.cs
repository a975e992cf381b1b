using SelfSim.Cli.Site;
using Xunit;

namespace SelfSim.Tests.Site;

/// <summary>LaTeX shown readably without MathJax: hand-checked formulas from the chapters.</summary>
public sealed class TexTextTests
{
    [Theory]
    [InlineData(@"N_B(l_B) \sim l_B^{-d_B}", "N<sub>B</sub>(l<sub>B</sub>) ∼ l<sub>B</sub><sup>-d<sub>B</sub></sup>")]
    [InlineData(@"\frac{1}{\sqrt{n}}", "1/(√n)")]
    [InlineData(@"\frac{a+b}{2}", "(a+b)/2")]
    [InlineData(@"x = \ln(1+l_B)/\max\ln(1+l_B)", "x = ln(1+l<sub>B</sub>)/max ln(1+l<sub>B</sub>)")]
    [InlineData(@"\mathrm{S} \geq 0.5 \cdot \alpha", "S ≥ 0.5 &#183; α")]
    [InlineData(@"\lVert x_i - x_j \rVert / \sqrt{m}", "‖ x<sub>i</sub> - x<sub>j</sub> ‖ / √m")]
    [InlineData(@"a < b \unknown", "a &lt; b \\unknown")]
    public void Formulas_become_text_with_sub_and_superscripts(string tex, string html) =>
        Assert.Equal(html, TexText.ToHtml(tex));
}
