#nullable enable
using System;
using System.Globalization;
using System.Linq;
using System.Text.RegularExpressions;

/// <summary>Whether the first line of a text table is a header: guessed (<see cref="Auto"/>), or said by --header yes|no.</summary>
public enum CsvHeaderMode { Auto, Yes, No }

/// <summary>
/// The one header rule of every text reader (feature CSV, data CSV, edge list). In <see cref="CsvHeaderMode.Auto"/>:
/// a first line holding a word (a cell that is neither a number nor number-like) is a header; a first line of plain
/// numbers is data, except pandas' default header of a numpy array, 0, 1, …, d−1 (d ≥ 2, comma-separated, or after an
/// empty index cell), which is taken as a header with a warning that names --header no; a first line with a cell that
/// looks like a number the reader does not take ("1,000", 0x1F, 1_000) and no word is refused, since dropping it or
/// reading it would both be guesses. <see cref="CsvHeaderMode.Yes"/> and <see cref="CsvHeaderMode.No"/> decide without a warning.
/// </summary>
public static class CsvHeader
{
    public const string OptionHelp = "is the first line a header? yes, no or auto (default: a line of words is; pandas' 0,1,…,d-1 is, with a warning)";

    static readonly Regex NumberLike = new(@"^[+-]?(0[xXbBoO][0-9a-fA-F_]+|[0-9][0-9_.,' ]*[0-9](?:[eE][+-]?[0-9]+)?)$", RegexOptions.CultureInvariant);

    /// <summary>Reads "yes", "no" or "auto" (also true/false, 1/0); null is auto.</summary>
    public static CsvHeaderMode Parse(string? s) => (s ?? "auto").Trim().ToLowerInvariant() switch
    {
        "auto" or "" => CsvHeaderMode.Auto,
        "yes" or "y" or "true" or "1" => CsvHeaderMode.Yes,
        "no" or "n" or "false" or "0" => CsvHeaderMode.No,
        var x => throw new SelfSimException($"--header '{x}' is not a choice. Use yes, no or auto."),
    };

    /// <summary>A cell that reads as a number (or a missing/infinite value) under the invariant culture.</summary>
    public static bool IsNumber(string cell) => CsvTable.TryNumber(cell, out _);

    /// <summary>A cell that looks like a number but is not one this reader takes: thousands separators, hex, underscores.</summary>
    public static bool IsNumberLike(string cell) => !IsNumber(cell) && NumberLike.IsMatch(cell.Trim());

    /// <summary>Why a number-like cell is not read, for the error line.</summary>
    public static string WhyNotNumber(string cell) =>
        cell.Contains('_') ? "digit separators (_) are not read"
        : cell.Length > 1 && cell.TrimStart('+', '-').Length > 1 && "xXbBoO".Contains(cell.TrimStart('+', '-')[1]) && cell.TrimStart('+', '-')[0] == '0' ? "hexadecimal, binary and octal are not read"
        : "thousands separators and decimal commas are not read (numbers take a decimal point, whatever the locale)";

    /// <summary>
    /// Decides whether <paramref name="cells"/>, the first line of <paramref name="name"/>, is a header. Returns the
    /// decision and the warning to print when it was a guess (null when certain); throws when it cannot decide.
    /// </summary>
    public static (bool IsHeader, string? Warning) Decide(string[] cells, CsvHeaderMode mode, string name, int line, bool commaSeparated)
    {
        if (mode == CsvHeaderMode.Yes) return (true, null);
        if (mode == CsvHeaderMode.No) return (false, null);
        bool anyWord = cells.Any(c => c.Length > 0 && !IsNumber(c) && !IsNumberLike(c));
        if (anyWord) return (true, null);
        var odd = cells.FirstOrDefault(IsNumberLike);
        if (odd is not null)
            throw new SelfSimException($"{name} line {line}: '{Short(odd)}' looks like a number, but {WhyNotNumber(odd)}; this line could be a header or data. " +
                                       "Write plain numbers (1000, 31), or pass --header yes if the line is a header (--header no if it is data).");
        if (IsPandasNumericHeader(cells, commaSeparated))
            return cells[0].Length == 0 ? (true, null) :   // the empty index cell makes it certain (the index column is dropped with its own warning)
                 (true, $"warning: {name} line {line} ('{Short(string.Join(",", cells))}') is taken as pandas' default header (column names 0, 1, …), " +
                          "not data. Pass --header no if it is data, --header yes to silence this (or save with to_csv(path, header=False)).");
        return (false, null);
    }

    /// <summary>pandas' default header of a numpy array: 0, 1, …, d−1 (comma-separated, d ≥ 2), or an empty index cell then 0, 1, ….</summary>
    public static bool IsPandasNumericHeader(string[] cells, bool commaSeparated)
    {
        int start = cells.Length > 0 && cells[0].Length == 0 ? 1 : 0;
        if (cells.Length - start < 2 || (start == 0 && !commaSeparated)) return false;
        for (int k = start; k < cells.Length; k++)
            if (cells[k] != (k - start).ToString(CultureInfo.InvariantCulture)) return false;
        return true;
    }

    static string Short(string s) => s.Length <= 40 ? s : s[..40] + "…";
}
