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
/// with one row per node and one column per sample (a non-numeric first line is taken as a header).
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
    public static (double[] Data, int Rows, int Cols) ReadDouble(string path)
    {
        if (string.IsNullOrWhiteSpace(path)) throw new SelfSimException("No feature file given. Pass a .npy or .csv file with one row per node.");
        if (!File.Exists(path)) throw new FileNotFoundException($"No feature file at '{path}'. Check the path.", path);
        var ext = Path.GetExtension(path).ToLowerInvariant();
        var (data, rows, cols) = ext switch
        {
            ".npy" => NpyFile.ReadDouble(path),
            ".csv" or ".tsv" or ".txt" => ReadText(path),
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

    static (double[] Data, int Rows, int Cols) ReadText(string path)
    {
        var lines = File.ReadAllLines(path);
        var values = new List<double>();
        int cols = -1, rows = 0;
        char[] seps = path.EndsWith(".tsv", StringComparison.OrdinalIgnoreCase) ? new[] { '\t' } : new[] { ',', ';', '\t', ' ' };
        for (int li = 0; li < lines.Length; li++)
        {
            var line = lines[li].Trim();
            if (line.Length == 0 || line.StartsWith('#')) continue;
            var cells = line.Split(seps, StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
            var parsed = new double[cells.Length];
            bool numeric = true;
            int badCol = -1;
            for (int k = 0; k < cells.Length; k++)
                if (!double.TryParse(cells[k], NumberStyles.Float, CultureInfo.InvariantCulture, out parsed[k]))
                {
                    if (cells[k].Equals("nan", StringComparison.OrdinalIgnoreCase)) { parsed[k] = double.NaN; continue; }
                    numeric = false; badCol = k; break;
                }
            if (!numeric)
            {
                if (rows == 0 && cols < 0) { cols = -2; continue; }   // header line
                throw new SelfSimException($"'{path}' line {li + 1}, column {badCol + 1}: '{cells[badCol]}' is not a number. " +
                                           "A feature CSV holds numbers only (an optional header first line).");
            }
            if (cols < 0) cols = cells.Length;
            else if (cells.Length != cols)
                throw new SelfSimException($"'{path}' line {li + 1} has {cells.Length} values but earlier rows have {cols}. Every node row needs the same number of samples.");
            values.AddRange(parsed);
            rows++;
        }
        return (values.ToArray(), rows, Math.Max(cols, 0));
    }
}
