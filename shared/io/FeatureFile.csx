#nullable enable
using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using TorchSharp;
using static TorchSharp.torch;

/// <summary>
/// A feature (node) matrix on disk: a 2-D .npy (float32/float64, C or Fortran order) or a .csv/.tsv/.txt
/// with one row per node and one column per sample, read strictly by <see cref="CsvTable"/> (header, pandas index,
/// decimal comma, quotes and label columns).
/// </summary>
public static class FeatureFile
{
    /// <summary>The matrix as row-major float32 data.</summary>
    public static (float[] Data, int Rows, int Cols) Read(string path)
    {
        var (d, r, c) = ReadDouble(path);
        var f = new float[d.Length];
        for (int i = 0; i < d.Length; i++) f[i] = (float)d[i];
        return (f, r, c);
    }

    /// <summary>The matrix as row-major float64 data.</summary>
    public static (double[] Data, int Rows, int Cols) ReadDouble(string path, CsvHeaderMode header = CsvHeaderMode.Auto)
    {
        if (string.IsNullOrWhiteSpace(path)) throw new SelfSimException("No feature file given. Pass a .npy or .csv file with one row per node.");
        if (!File.Exists(path)) throw new FileNotFoundException($"No feature file at '{path}'. Check the path.", path);
        var ext = Path.GetExtension(path).ToLowerInvariant();
        var (data, rows, cols) = ext switch
        {
            ".npy" => NpyFile.ReadDouble(path),
            ".csv" or ".tsv" or ".txt" => ReadText(path, header),
            _ => throw new SelfSimException($"'{path}': unknown feature file type '{ext}'. Use a 2-D .npy or a .csv (rows are nodes)."),
        };
        if (rows == 0 || cols == 0)
            throw new SelfSimException($"'{path}' holds an empty matrix ({rows}×{cols}). It needs one row per node and at least one column.");
        return (data, rows, cols);
    }

    /// <summary>The matrix as a float32 tensor [rows, cols] (rows are nodes).</summary>
    public static Tensor Load(string path, Device? device = null)
    {
        var (d, r, c) = Read(path);
        var t = tensor(d, new long[] { r, c });
        return device is null ? t : t.to(device);
    }

    /// <summary>A numeric text table (strict rules: <see cref="CsvTable"/>) as a row-major matrix.</summary>
    static (double[] Data, int Rows, int Cols) ReadText(string path, CsvHeaderMode header)
    {
        var t = CsvTable.Read(path, "feature CSV", header);
        int cols = t.Columns;
        var values = new double[t.Rows.Count * cols];
        for (int r = 0; r < t.Rows.Count; r++) Array.Copy(t.Rows[r], 0, values, r * cols, cols);
        return (values, t.Rows.Count, cols);
    }
}
