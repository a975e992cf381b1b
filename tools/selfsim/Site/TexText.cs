using System;
using System.Collections.Generic;
using System.Net;
using System.Text;

namespace SelfSim.Cli.Site;

/// <summary>
/// Shows LaTeX math readably without MathJax (the site works offline and loads no script but plotly.js): Greek letters
/// and common symbols become their Unicode characters, ^ and _ become &lt;sup&gt;/&lt;sub&gt;, \frac{a}{b} becomes a/b,
/// font commands (\mathrm, \text, …) keep their argument. Anything it does not know stays as written, HTML-encoded, so
/// the formula is never lost; the page also keeps the exact TeX in the element's title.
/// </summary>
public static class TexText
{
    static readonly Dictionary<string, string> Symbols = new(StringComparer.Ordinal)
    {
        ["alpha"] = "α",
        ["beta"] = "β",
        ["gamma"] = "γ",
        ["delta"] = "δ",
        ["epsilon"] = "ε",
        ["varepsilon"] = "ε",
        ["zeta"] = "ζ",
        ["eta"] = "η",
        ["theta"] = "θ",
        ["vartheta"] = "ϑ",
        ["iota"] = "ι",
        ["kappa"] = "κ",
        ["lambda"] = "λ",
        ["mu"] = "μ",
        ["nu"] = "ν",
        ["xi"] = "ξ",
        ["pi"] = "π",
        ["rho"] = "ρ",
        ["sigma"] = "σ",
        ["tau"] = "τ",
        ["upsilon"] = "υ",
        ["phi"] = "φ",
        ["varphi"] = "φ",
        ["chi"] = "χ",
        ["psi"] = "ψ",
        ["omega"] = "ω",
        ["Gamma"] = "Γ",
        ["Delta"] = "Δ",
        ["Theta"] = "Θ",
        ["Lambda"] = "Λ",
        ["Xi"] = "Ξ",
        ["Pi"] = "Π",
        ["Sigma"] = "Σ",
        ["Phi"] = "Φ",
        ["Psi"] = "Ψ",
        ["Omega"] = "Ω",
        ["cdot"] = "·",
        ["times"] = "×",
        ["div"] = "÷",
        ["pm"] = "±",
        ["mp"] = "∓",
        ["leq"] = "≤",
        ["le"] = "≤",
        ["geq"] = "≥",
        ["ge"] = "≥",
        ["neq"] = "≠",
        ["ne"] = "≠",
        ["approx"] = "≈",
        ["sim"] = "∼",
        ["simeq"] = "≃",
        ["propto"] = "∝",
        ["equiv"] = "≡",
        ["ll"] = "≪",
        ["gg"] = "≫",
        ["infty"] = "∞",
        ["sum"] = "∑",
        ["prod"] = "∏",
        ["int"] = "∫",
        ["partial"] = "∂",
        ["nabla"] = "∇",
        ["in"] = "∈",
        ["notin"] = "∉",
        ["subset"] = "⊂",
        ["subseteq"] = "⊆",
        ["cup"] = "∪",
        ["cap"] = "∩",
        ["emptyset"] = "∅",
        ["forall"] = "∀",
        ["exists"] = "∃",
        ["to"] = "→",
        ["rightarrow"] = "→",
        ["leftarrow"] = "←",
        ["Rightarrow"] = "⇒",
        ["mapsto"] = "↦",
        ["ldots"] = "…",
        ["cdots"] = "⋯",
        ["dots"] = "…",
        ["mid"] = "|",
        ["vert"] = "|",
        ["lVert"] = "‖",
        ["rVert"] = "‖",
        ["Vert"] = "‖",
        ["|"] = "‖",
        ["langle"] = "⟨",
        ["rangle"] = "⟩",
        ["lfloor"] = "⌊",
        ["rfloor"] = "⌋",
        ["lceil"] = "⌈",
        ["rceil"] = "⌉",
        ["sqrt"] = "√",
        ["circ"] = "∘",
        ["star"] = "⋆",
        ["ell"] = "ℓ",
        ["hat"] = "",
        ["log"] = "log",
        ["ln"] = "ln",
        ["exp"] = "exp",
        ["min"] = "min",
        ["max"] = "max",
        ["arg"] = "arg",
        ["argmin"] = "argmin",
        ["argmax"] = "argmax",
        ["sup"] = "sup",
        ["inf"] = "inf",
        ["lim"] = "lim",
        ["det"] = "det",
        ["Pr"] = "Pr",
        ["sin"] = "sin",
        ["cos"] = "cos",
        ["tanh"] = "tanh",
        ["{"] = "{",
        ["}"] = "}",
        ["%"] = "%",
        ["$"] = "$",
        ["#"] = "#",
        ["&"] = "&",
        ["_"] = "_",
        [","] = "\u2009",
        [";"] = " ",
        [":"] = " ",
        ["!"] = "",
        [" "] = " ",
        ["quad"] = "\u2003",
        ["qquad"] = "\u2003\u2003",
        ["left"] = "",
        ["right"] = "",
        ["big"] = "",
        ["Big"] = "",
        ["bigl"] = "",
        ["bigr"] = "",
        ["displaystyle"] = "",
    };

    /// <summary>Commands whose one argument is shown as is (font and decoration).</summary>
    static readonly HashSet<string> Wrappers = new(StringComparer.Ordinal)
    {
        "mathrm", "text", "textrm", "mathit", "mathbf", "boldsymbol", "mathsf", "mathtt", "operatorname", "mathcal",
        "mathbb", "bar", "overline", "tilde", "widetilde", "vec", "hat", "widehat", "textit", "textbf", "mbox",
    };

    /// <summary>The formula as HTML (encoded text with &lt;sub&gt;, &lt;sup&gt;).</summary>
    public static string ToHtml(string tex)
    {
        int i = 0;
        var sb = new StringBuilder();
        Sequence(tex, ref i, sb, stopAtBrace: false);
        return sb.ToString();
    }

    static void Sequence(string s, ref int i, StringBuilder sb, bool stopAtBrace)
    {
        while (i < s.Length)
        {
            char c = s[i];
            if (c == '}' && stopAtBrace) { i++; return; }
            Atom(s, ref i, sb);
        }
    }

    /// <summary>One unit: a group, a command with its arguments, a script, or one character.</summary>
    static void Atom(string s, ref int i, StringBuilder sb)
    {
        char c = s[i];
        switch (c)
        {
            case '{':
                i++;
                Sequence(s, ref i, sb, stopAtBrace: true);
                return;
            case '}':
                i++;
                return;
            case '^':
            case '_':
                {
                    i++;
                    var inner = new StringBuilder();
                    if (i < s.Length) Argument(s, ref i, inner);
                    var tag = c == '^' ? "sup" : "sub";
                    sb.Append('<').Append(tag).Append('>').Append(inner).Append("</").Append(tag).Append('>');
                    return;
                }
            case '\\':
                Command(s, ref i, sb);
                return;
            case '~':
                sb.Append(' ');
                i++;
                return;
            default:
                sb.Append(WebUtility.HtmlEncode(c.ToString()));
                i++;
                return;
        }
    }

    /// <summary>The argument of a script or command: a group, or one atom (skipping spaces before it).</summary>
    static void Argument(string s, ref int i, StringBuilder sb)
    {
        while (i < s.Length && s[i] == ' ') i++;
        if (i < s.Length) Atom(s, ref i, sb);
    }

    static void Command(string s, ref int i, StringBuilder sb)
    {
        int start = ++i;
        if (i < s.Length && !char.IsAsciiLetter(s[i])) i++;
        else while (i < s.Length && char.IsAsciiLetter(s[i])) i++;
        var name = s[start..i];
        if (name == "frac" || name == "dfrac" || name == "tfrac")
        {
            var num = new StringBuilder();
            var den = new StringBuilder();
            Argument(s, ref i, num);
            Argument(s, ref i, den);
            sb.Append(Wrap(num.ToString())).Append('/').Append(Wrap(den.ToString()));
            return;
        }
        if (name == "sqrt")
        {
            var arg = new StringBuilder();
            Argument(s, ref i, arg);
            sb.Append('√').Append(Wrap(arg.ToString()));
            return;
        }
        if (Wrappers.Contains(name))
        {
            Argument(s, ref i, sb);
            return;
        }
        if (Symbols.TryGetValue(name, out var symbol))
        {
            sb.Append(WebUtility.HtmlEncode(symbol));
            // a named operator (\max, \ln) keeps a space before a letter or command that follows it: "max ln x", not "maxln x"
            if (symbol.Length > 1 && char.IsAsciiLetter(symbol[0]))
            {
                if (i < s.Length && (char.IsAsciiLetter(s[i]) || s[i] == '\\')) sb.Append(' ');
            }
            return;
        }
        sb.Append(WebUtility.HtmlEncode("\\" + name));
    }

    /// <summary>A fraction's part in parentheses when it is more than one symbol.</summary>
    static string Wrap(string html)
    {
        var plain = System.Text.RegularExpressions.Regex.Replace(html, "<[^>]+>", "");
        return WebUtility.HtmlDecode(plain).Length <= 1 ? html : "(" + html + ")";
    }
}
