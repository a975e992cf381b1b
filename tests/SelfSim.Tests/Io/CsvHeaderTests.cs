using System;
using System.IO;
using Xunit;

namespace SelfSim.Tests.Io;

/// <summary>The one header rule (shared/io/CsvHeader.csx) as every reader applies it.</summary>
public sealed class CsvHeaderTests : IDisposable
{
    readonly string _dir = Path.Combine(Path.GetTempPath(), "selfsim-csvheader-" + Guid.NewGuid().ToString("N")[..8]);
    public CsvHeaderTests() => Directory.CreateDirectory(_dir);
    public void Dispose() { try { Directory.Delete(_dir, true); } catch (IOException) { } }

    string Write(string name, string text) { var p = Path.Combine(_dir, name); File.WriteAllText(p, text); return p; }

    [Theory]
    [InlineData(new[] { "a", "b" }, true)]
    [InlineData(new[] { "1.5", "2" }, false)]
    [InlineData(new[] { "0", "1", "2" }, true)]     // pandas' default header (a guess, with a warning)
    [InlineData(new[] { "", "0", "1" }, true)]      // pandas' index header
    [InlineData(new[] { "0", "2", "1" }, false)]
    [InlineData(new[] { "NA", "inf" }, false)]
    public void Auto_decides_words_and_pandas_headers(string[] cells, bool isHeader)
    {
        var (h, warning) = CsvHeader.Decide(cells, CsvHeaderMode.Auto, "f", 1, commaSeparated: true);
        Assert.Equal(isHeader, h);
        Assert.Equal(cells is ["0", "1", "2"], warning is not null);   // a warning exactly when it guessed
    }

    [Theory]
    [InlineData("1,000")]
    [InlineData("0x1F")]
    [InlineData("1_000")]
    [InlineData("1 000")]
    public void A_number_like_first_cell_is_refused_not_dropped(string cell)
    {
        var e = Assert.Throws<SelfSimException>(() => CsvHeader.Decide(new[] { cell, "2" }, CsvHeaderMode.Auto, "f", 1, true));
        Assert.Contains("--header yes", e.Message);
        Assert.True(CsvHeader.Decide(new[] { cell, "2" }, CsvHeaderMode.Yes, "f", 1, true).IsHeader);
        Assert.False(CsvHeader.Decide(new[] { "0", "1" }, CsvHeaderMode.No, "f", 1, true).IsHeader);
    }

    [Fact]
    public void Blank_separated_0_1_is_an_edge_not_a_header()
    {
        Assert.False(CsvHeader.Decide(new[] { "0", "1" }, CsvHeaderMode.Auto, "f", 1, commaSeparated: false).IsHeader);
    }

    [Fact]
    public void Feature_csv_with_a_pandas_numeric_header_keeps_its_node_count()
    {
        var p = Write("x.csv", "0,1,2\n0.5,1.5,2.5\n3,4,5\n6,7,8.25\n");
        var (d, rows, cols) = FeatureFile.ReadDouble(p);
        Assert.Equal((3, 3), (rows, cols));
        Assert.Equal(0.5, d[0]);
        Assert.Equal(4, FeatureFile.ReadDouble(p, CsvHeaderMode.No).Rows);
        Assert.Contains("1,000", Assert.Throws<SelfSimException>(() => FeatureFile.ReadDouble(Write("y.csv", "\"1,000\",2\n3,4\n"))).Message);
        // a number-like cell further down is named for what it is, not as a label column
        Assert.Contains("thousands", Assert.Throws<SelfSimException>(() => FeatureFile.ReadDouble(Write("z.csv", "1,2\n\"3,500\",4\n"))).Message);
    }

    [Fact]
    public void Edge_list_with_a_pandas_header_is_a_path_not_a_cycle()
    {
        var g = EdgeListFile.Parse(new StringReader("0,1\n10,11\n11,12\n12,13\n"), "e").Graph;
        Assert.Equal((4, 3), (g.NodeCount, g.EdgeCount));
        var asData = EdgeListFile.Parse(new StringReader("0,1\n10,11\n11,12\n12,13\n"), "e", header: CsvHeaderMode.No).Graph;
        Assert.Equal(6, asData.NodeCount);
        Assert.Throws<SelfSimException>(() => EdgeListFile.Parse(new StringReader("0x1F,3\n4,5\n5,6\n"), "e"));
        // labels that are words: the first line is an edge, as before
        Assert.Equal(3, EdgeListFile.Parse(new StringReader("a b\nb c\nc d\n"), "e").Graph.EdgeCount);
    }

    [Fact]
    public void One_value_per_line_data_skips_a_word_header_and_refuses_a_thousands_row()
    {
        Assert.Equal(new[] { 3.0, 4.0 }, PowerLawFitter.ReadData(Write("d.txt", "degree\n3\n4\n")));
        Assert.Throws<SelfSimException>(() => PowerLawFitter.ReadData(Write("e.txt", "1_000\n3\n")));
    }
}
