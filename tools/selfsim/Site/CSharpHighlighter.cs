using System;
using System.Collections.Generic;
using System.Net;
using System.Text;

namespace SelfSim.Cli.Site;

/// <summary>
/// Highlights C# for the site: comments, strings (regular, verbatim, interpolated, raw), character literals, numbers,
/// keywords and the kernel's directives (<c>#r</c>, <c>#load</c>, <c>#!</c>) each in a span with a short class, the
/// rest HTML-encoded as is. A lexer, not a parser: it only has to colour notebook cells the way Pygments' C# lexer did.
/// </summary>
public static class CSharpHighlighter
{
    static readonly HashSet<string> Keywords = new(StringComparer.Ordinal)
    {
        "abstract", "as", "async", "await", "base", "bool", "break", "byte", "case", "catch", "char", "checked", "class",
        "const", "continue", "decimal", "default", "delegate", "do", "double", "dynamic", "else", "enum", "event",
        "explicit", "extern", "false", "finally", "fixed", "float", "for", "foreach", "get", "goto", "if", "implicit",
        "in", "init", "int", "interface", "internal", "is", "lock", "long", "nameof", "namespace", "new", "not", "null",
        "object", "operator", "or", "and", "out", "override", "params", "private", "protected", "public", "readonly",
        "record", "ref", "required", "return", "sbyte", "sealed", "set", "short", "sizeof", "stackalloc", "static",
        "string", "struct", "switch", "this", "throw", "true", "try", "typeof", "uint", "ulong", "unchecked", "unsafe",
        "ushort", "using", "var", "virtual", "void", "volatile", "when", "where", "while", "with", "yield", "value",
    };

    /// <summary>The cell's source as HTML (to go inside a &lt;pre&gt;).</summary>
    public static string ToHtml(string code)
    {
        var sb = new StringBuilder(code.Length * 2);
        int i = 0, n = code.Length;
        bool lineStart = true;
        while (i < n)
        {
            char c = code[i];
            if (c == '\n') { sb.Append('\n'); i++; lineStart = true; continue; }
            if (lineStart && c is ' ' or '\t') { sb.Append(c); i++; continue; }
            if (lineStart && c == '#')
            {
                int end = LineEnd(code, i);
                Span(sb, "cp", code[i..end]);
                i = end;
                continue;
            }
            lineStart = false;
            if (c == '/' && i + 1 < n && code[i + 1] == '/')
            {
                int end = LineEnd(code, i);
                Span(sb, "c", code[i..end]);
                i = end;
            }
            else if (c == '/' && i + 1 < n && code[i + 1] == '*')
            {
                int close = code.IndexOf("*/", i + 2, StringComparison.Ordinal);
                int end = close < 0 ? n : close + 2;
                Span(sb, "c", code[i..end]);
                i = end;
            }
            else if (c == '"' || ((c is '$' or '@') && StringAhead(code, i)))
            {
                int end = StringEnd(code, i);
                Span(sb, "s", code[i..end]);
                i = end;
            }
            else if (c == '\'')
            {
                int end = i + 1;
                while (end < n && code[end] != '\'' && code[end] != '\n') end += code[end] == '\\' ? 2 : 1;
                end = Math.Min(n, end + 1);
                Span(sb, "s", code[i..end]);
                i = end;
            }
            else if (char.IsAsciiDigit(c) || (c == '.' && i + 1 < n && char.IsAsciiDigit(code[i + 1]) && (i == 0 || !IsIdent(code[i - 1]))))
            {
                int end = i + 1;
                while (end < n && (char.IsAsciiLetterOrDigit(code[end]) || code[end] is '_' or '.'
                                   || (code[end] is '+' or '-' && code[end - 1] is 'e' or 'E' && !code[i..end].StartsWith("0x"))))
                {
                    if (code[end] == '.' && (end + 1 >= n || !char.IsAsciiDigit(code[end + 1]))) break;
                    end++;
                }
                Span(sb, "m", code[i..end]);
                i = end;
            }
            else if (IsIdentStart(c))
            {
                int end = i + 1;
                while (end < n && IsIdent(code[end])) end++;
                var word = code[i..end];
                if (Keywords.Contains(word)) Span(sb, "k", word);
                else if (char.IsUpper(word[0]) && end < n && code[end] != '(') Span(sb, "nc", word);
                else sb.Append(WebUtility.HtmlEncode(word));
                i = end;
            }
            else { sb.Append(WebUtility.HtmlEncode(c.ToString())); i++; }
        }
        return sb.ToString();
    }

    static bool IsIdentStart(char c) => char.IsLetter(c) || c == '_';
    static bool IsIdent(char c) => char.IsLetterOrDigit(c) || c == '_';

    static int LineEnd(string s, int from)
    {
        int nl = s.IndexOf('\n', from);
        return nl < 0 ? s.Length : nl;
    }

    /// <summary>True when a $ or @ at <paramref name="i"/> opens a string ($"…", @"…", $@"…", @$"…", $$"""…""").</summary>
    static bool StringAhead(string s, int i)
    {
        int j = i;
        while (j < s.Length && s[j] is '$' or '@') j++;
        return j < s.Length && j > i && s[j] == '"';
    }

    /// <summary>The index just past the string literal that starts at <paramref name="i"/>.</summary>
    static int StringEnd(string s, int i)
    {
        int n = s.Length, j = i;
        bool verbatim = false, interpolated = false;
        while (j < n && s[j] is '$' or '@') { verbatim |= s[j] == '@'; interpolated |= s[j] == '$'; j++; }
        // raw string literal: three or more quotes, closed by as many
        int quotes = 0;
        while (j + quotes < n && s[j + quotes] == '"') quotes++;
        if (quotes >= 3)
        {
            var fence = new string('"', quotes);
            int close = s.IndexOf(fence, j + quotes, StringComparison.Ordinal);
            return close < 0 ? n : close + quotes;
        }
        j++;   // past the opening quote
        while (j < n)
        {
            char c = s[j];
            if (interpolated && c == '{')
            {
                if (j + 1 < n && s[j + 1] == '{') { j += 2; continue; }
                j = HoleEnd(s, j + 1);
                continue;
            }
            if (verbatim)
            {
                if (c == '"') { if (j + 1 < n && s[j + 1] == '"') { j += 2; continue; } return j + 1; }
                j++;
            }
            else
            {
                if (c == '\\') { j += 2; continue; }
                if (c == '"') return j + 1;
                if (c == '\n') return j;
                j++;
            }
        }
        return n;
    }

    /// <summary>The index just past the '}' that closes an interpolation hole whose contents start at <paramref name="j"/>.</summary>
    static int HoleEnd(string s, int j)
    {
        int depth = 1;
        while (j < s.Length && depth > 0)
        {
            char c = s[j];
            if (c == '"' || (c is '$' or '@' && StringAhead(s, j))) { j = StringEnd(s, j); continue; }
            if (c == '\n') return j;
            if (c == '{') depth++;
            else if (c == '}') depth--;
            j++;
        }
        return j;
    }

    static void Span(StringBuilder sb, string cls, string text) =>
        sb.Append("<span class=\"").Append(cls).Append("\">").Append(WebUtility.HtmlEncode(text)).Append("</span>");
}
