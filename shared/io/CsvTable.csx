#nullable enable
using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Text;
using System.Text.RegularExpressions;

/// <summary>
/// A numeric table in a text file (.csv, .tsv, .txt), read strictly: what cannot be read for certain is refused with
/// the line and the fix, never guessed. One separator per file (tab, ';', ',' or blanks, from the first line); quoted
/// cells as RFC 4180 ("a,b", "" for a quote; a quoted cell may not span lines); nan, NA, N/A, null and an empty cell
/// are missing values (NaN), inf and -inf infinities; whether the first line is a header follows the one rule of
/// <see cref="CsvHeader"/> (a line of words is; pandas' 0,1,…,d−1 is, with a warning; "1,000" or 0x1F is refused); pandas' index column (header cell empty or "Unnamed: 0", or a named first column
/// 0, 1, …, n−1) is dropped with a warning; a decimal comma ("0,548;0,715", "0,548 0,715") and text cells (a label
/// column) are refused. A trailing separator ("1,2,3,") ends a row without adding an empty cell.
/// </summary>
public sealed record CsvTable(string Path, string[]? Header, IReadOnlyList<double[]> Rows, IReadOnlyList<int> Lines, string? Warning)
{
    public int Columns => Rows.Count > 0 ? Rows[0].Length : Header?.Length ?? 0;

    static readonly Regex DecimalComma = new(@"^[+-]?\d+,\d+([eE][+-]?\d+)?$", RegexOptions.CultureInvariant);

    /// <summary>Reads <paramref name="path"/>; <paramref name="what"/> names the kind of file in errors ("feature CSV").</summary>
    public static CsvTable Read(string path, string what = "numeric CSV", CsvHeaderMode headerMode = CsvHeaderMode.Auto)
    {
        if (!File.Exists(path)) throw new FileNotFoundException($"No file at '{path}'. Check the path.", path);
        var lines = File.ReadAllLines(path);
        char? sep = null;
        bool blanks = false;
        if (path.EndsWith(".tsv", StringComparison.OrdinalIgnoreCase)) sep = '\t';
        string[]? header = null;
        var rows = new List<double[]>();
        var lineNos = new List<int>();
        bool decided = false;
        string? headerWarning = null;
        for (int li = 0; li < lines.Length; li++)
        {
            var line = lines[li].Trim();
            if (line.Length == 0 || line.StartsWith('#')) continue;
            if (sep is null && !blanks)
            {
                if (line.Contains('\t')) sep = '\t';
                else if (line.Contains(';')) sep = ';';
                else if (line.Contains(',')) sep = ',';
                else blanks = true;
            }
            if (sep == ',' && line.Contains(' ') && SplitBlanks(line) is { Length: > 1 } words && words.All(w => DecimalComma.IsMatch(w)))
                throw new SelfSimException($"'{path}' line {li + 1}: '{words[0]}' has a decimal comma (the values are separated by blanks). " +
                                           "Save the file with a decimal point, or replace the commas: sed -i 's/,/./g' FILE.");
            var cells = blanks ? SplitBlanks(line) : Split(line, sep!.Value, path, li + 1);
            if (sep != ',')
                foreach (var c in cells)
                    if (DecimalComma.IsMatch(c))
                        throw new SelfSimException($"'{path}' line {li + 1}: '{c}' has a decimal comma. Save the file with a decimal point " +
                                                   "(pandas: df.to_csv(path, sep=',', decimal='.')), or replace the commas: sed -i 's/,/./g' FILE after checking the separator.");
            if (header is null && rows.Count == 0 && !decided)
            {
                decided = true;
                var (isHeader, guess) = CsvHeader.Decide(cells, headerMode, $"'{path}'", li + 1, sep == ',');
                if (guess is not null) { Console.Error.WriteLine(guess); headerWarning = guess; }
                if (isHeader) { header = cells; continue; }
            }
            var values = new double[cells.Length];
            for (int k = 0; k < cells.Length; k++)
                if (!TryNumber(cells[k], out values[k]))
                {
                    string col = header is not null && k < header.Length && header[k].Length > 0 ? $" ('{header[k]}')" : "";
                    string drop = header is not null && k < header.Length && header[k].Length > 0
                        ? $"df.drop(columns=['{header[k]}']).to_csv(path, index=False)" : $"drop column {k + 1}";
                    if (CsvHeader.IsNumberLike(cells[k]))
                        throw new SelfSimException($"'{path}' line {li + 1}, column {k + 1}{col}: '{Short(cells[k])}' is not read as a number: " +
                                                   $"{CsvHeader.WhyNotNumber(cells[k])}. Write plain numbers (1000, 0.5, 31).");
                    throw new SelfSimException($"'{path}' line {li + 1}, column {k + 1}{col}: '{Short(cells[k])}' is not a number. " +
                                               $"A {what} holds numbers only (and an optional header line): if it is a label column, remove it ({drop}).");
                }
            if (rows.Count > 0 && values.Length != rows[0].Length)
                throw new SelfSimException($"'{path}' line {li + 1} has {values.Length} values but earlier rows have {rows[0].Length}. Every row needs the same number of values.");
            rows.Add(values);
            lineNos.Add(li + 1);
        }
        if (header is not null && rows.Count > 0 && header.Length != rows[0].Length)
            throw new SelfSimException($"'{path}': the header has {header.Length} names but the rows have {rows[0].Length} values. Give every column one name.");

        string? warning = null;
        if (header is not null && rows.Count > 0 && rows[0].Length > 1)
        {
            string first = header[0];
            bool named = first.Length == 0 || first.Equals("Unnamed: 0", StringComparison.Ordinal);
            bool counts = rows.Count >= 2 && rows.Select((r, i) => r[0] == i).All(b => b);
            if (named || counts)
            {
                warning = $"warning: '{path}': the first column{(first.Length > 0 ? $" ('{first}')" : "")} is a pandas index " +
                          $"({(counts ? "0, 1, 2, …" : "unnamed")}), not data; it is dropped. Save with df.to_csv(path, index=False) to avoid this.";
                header = header[1..];
                rows = rows.Select(r => r[1..]).ToList();
                Console.Error.WriteLine(warning);
            }
        }
        return new CsvTable(path, header, rows, lineNos, headerWarning is null ? warning : warning is null ? headerWarning : headerWarning + " " + warning);
    }

    /// <summary>The values of the column named <paramref name="name"/> (the file needs a header).</summary>
    public double[] Column(string name)
    {
        if (Header is null)
            throw new SelfSimException($"'{Path}' has no header line, so it has no column '{name}'. Add a header, or give a file with one value per line.");
        int k = Array.IndexOf(Header, name);
        if (k < 0)
            throw new SelfSimException($"'{Path}' has no column '{name}'. Its columns: {string.Join(", ", Header.Select(h => $"'{h}'"))}.");
        return Rows.Select(r => r[k]).ToArray();
    }

    /// <summary>A number, or a missing/infinite value written the usual ways (nan, NA, N/A, null, empty; inf, -inf, Infinity).</summary>
    public static bool TryNumber(string cell, out double v)
    {
        if (double.TryParse(cell, NumberStyles.Float, CultureInfo.InvariantCulture, out v)) return true;
        switch (cell.ToLowerInvariant())
        {
            case "":
            case "nan":
            case "-nan":
            case "na":
            case "n/a":
            case "null":
            case "none":
            case "<na>":
                v = double.NaN; return true;
            case "inf":
            case "+inf":
            case "infinity":
            case "+infinity":
            case "∞":
                v = double.PositiveInfinity; return true;
            case "-inf":
            case "-infinity":
            case "-∞":
                v = double.NegativeInfinity; return true;
        }
        return false;
    }

    static string[] SplitBlanks(string line) =>
        line.Split(new[] { ' ', '\t' }, StringSplitOptions.RemoveEmptyEntries).Select(c => c.Length >= 2 && c[0] == '"' && c[^1] == '"' ? c[1..^1] : c).ToArray();

    /// <summary>RFC 4180 fields of one line; cells are trimmed.</summary>
    static string[] Split(string line, char sep, string path, int lineNo)
    {
        var cells = new List<string>();
        var sb = new StringBuilder();
        int i = 0;
        while (true)
        {
            sb.Clear();
            while (i < line.Length && line[i] == ' ') i++;
            if (i < line.Length && line[i] == '"')
            {
                i++;
                while (true)
                {
                    if (i >= line.Length)
                        throw new SelfSimException($"'{path}' line {lineNo} has a quote that is not closed. A quoted cell must end on its line with \" (write \"\" for a quote inside it).");
                    if (line[i] == '"')
                    {
                        if (i + 1 < line.Length && line[i + 1] == '"') { sb.Append('"'); i += 2; continue; }
                        i++;
                        break;
                    }
                    sb.Append(line[i++]);
                }
                while (i < line.Length && line[i] == ' ') i++;
                if (i < line.Length && line[i] != sep)
                    throw new SelfSimException($"'{path}' line {lineNo}: text follows a closing quote at character {i + 1}. Quote the whole cell.");
            }
            else
            {
                while (i < line.Length && line[i] != sep) sb.Append(line[i++]);
            }
            cells.Add(sb.ToString().Trim());
            if (i >= line.Length) break;
            i++; // the separator
            if (i >= line.Length && sep != '\t') break;   // a trailing separator ("1,2,3,") ends the row; it adds no empty cell
        }
        return cells.ToArray();
    }

    static string Short(string s) => s.Length <= 40 ? s : s[..40] + "…";
}
