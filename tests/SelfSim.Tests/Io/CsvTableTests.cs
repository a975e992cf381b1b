using System;
using System.IO;
using Xunit;

namespace SelfSim.Tests.Io;

/// <summary>shared/io/CsvTable.csx: strict reading of numeric text tables, on small files written here.</summary>
public sealed class CsvTableTests : IDisposable
{
    readonly string _dir = Directory.CreateTempSubdirectory("selfsim-csv-").FullName;
    public void Dispose() { try { Directory.Delete(_dir, true); } catch (IOException) { } }

    string File(string name, string text) { var p = Path.Combine(_dir, name); System.IO.File.WriteAllText(p, text); return p; }

    [Fact]
    public void Header_missing_values_infinities_quotes_and_comments_read_as_numbers()
    {
        var t = CsvTable.Read(File("a.csv", "# a comment\nx,y,\"z, quoted\"\n1.5,-2e-3,NA\n\"3\",inf,null\n"));
        Assert.Equal(new[] { "x", "y", "z, quoted" }, t.Header);
        Assert.Equal(3, t.Columns);
        Assert.Equal(new[] { 1.5, -0.002, double.NaN }, t.Rows[0]);
        Assert.Equal(new[] { 3.0, double.PositiveInfinity, double.NaN }, t.Rows[1]);   // NA and null are missing
        Assert.Equal(new[] { 3, 4 }, t.Lines);                                           // file line numbers, from 1
        Assert.Equal(new[] { -0.002, double.PositiveInfinity }, t.Column("y"));
        Assert.Null(t.Warning);
    }

    [Fact]
    public void A_first_row_of_numbers_is_data_and_blank_or_tab_separated_files_read_alike()
    {
        var blanks = CsvTable.Read(File("b.txt", "1 2 3\n4  5\t6\n"));
        Assert.Null(blanks.Header);
        Assert.Equal(new[] { 4.0, 5, 6 }, blanks.Rows[1]);
        var tsv = CsvTable.Read(File("c.tsv", "a\tb\n0.25\t-1\n"));
        Assert.Equal(new[] { 0.25, -1 }, tsv.Rows[0]);
        var trailing = CsvTable.Read(File("d.csv", "1,2,3,\n4,5,6,\n"));
        Assert.Equal(3, trailing.Columns);
    }

    [Fact]
    public void A_pandas_index_column_is_dropped_with_a_warning()
    {
        var t = CsvTable.Read(File("e.csv", ",s,d_B\n0,0.2,1.5\n1,0.3,1.7\n"));
        Assert.Equal(new[] { "s", "d_B" }, t.Header);
        Assert.Equal(new[] { 0.3, 1.7 }, t.Rows[1]);
        Assert.Contains("pandas index", t.Warning);
    }

    [Fact]
    public void Guesses_are_refused_with_the_line_and_the_fix()
    {
        Assert.Contains("decimal comma", Assert.Throws<SelfSimException>(() => CsvTable.Read(File("f.csv", "0,548;0,715\n"))).Message);
        var label = Assert.Throws<SelfSimException>(() => CsvTable.Read(File("g.csv", "x,label\n1,cat\n"))).Message;
        Assert.Contains("line 2, column 2 ('label')", label);
        Assert.Contains("df.drop(columns=['label'])", label);
        Assert.Contains("earlier rows have 2", Assert.Throws<SelfSimException>(() => CsvTable.Read(File("h.csv", "1,2\n3\n"))).Message);
        Assert.Contains("not closed", Assert.Throws<SelfSimException>(() => CsvTable.Read(File("i.csv", "\"1,2\n"))).Message);
        Assert.Contains("no column 'q'", Assert.Throws<SelfSimException>(() => CsvTable.Read(File("j.csv", "a\n1\n")).Column("q")).Message);
        Assert.Throws<FileNotFoundException>(() => CsvTable.Read(Path.Combine(_dir, "none.csv")));
    }
}
