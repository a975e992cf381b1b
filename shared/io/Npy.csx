#nullable enable
using System;
using System.Buffers.Binary;
using System.Globalization;
using System.IO;
using System.Text;
using System.Text.RegularExpressions;

// NumPy .npy format, version 1.0-3.0 (https://numpy.org/doc/stable/reference/generated/numpy.lib.format.html).

/// <summary>
/// Reads and writes 2-D NumPy .npy matrices (rows × cols), and reads arrays of any rank (<see cref="ReadArray"/>). Read accepts little- or big-endian float32 and float64
/// (and int32/int64, converted), C or Fortran order; write produces float32, C order, format 1.0, atomically.
/// </summary>
public static class NpyFile
{
    static readonly byte[] Magic = { 0x93, (byte)'N', (byte)'U', (byte)'M', (byte)'P', (byte)'Y' };

    /// <summary>The matrix in <paramref name="path"/> as row-major float32 data.</summary>
    public static (float[] Data, int Rows, int Cols) Read(string path)
    {
        var (raw, rows, cols) = ReadDouble(path);
        var f = new float[raw.Length];
        for (int i = 0; i < raw.Length; i++) f[i] = (float)raw[i];
        return (f, rows, cols);
    }

    /// <summary>The matrix in <paramref name="path"/> as row-major float64 data (float32 values are widened exactly).</summary>
    public static (double[] Data, int Rows, int Cols) ReadDouble(string path)
    {
        var (data, shape) = ReadArrayDouble(path, twoD: true);
        return (data, (int)shape[0], (int)shape[1]);
    }

    /// <summary>An array of any rank (e.g. a probe batch [N, C, H, W]) as C-order float32 data and its shape.</summary>
    public static (float[] Data, long[] Shape) ReadArray(string path)
    {
        var (raw, shape) = ReadArrayDouble(path, twoD: false);
        var f = new float[raw.Length];
        for (int i = 0; i < raw.Length; i++) f[i] = (float)raw[i];
        return (f, shape);
    }

    /// <summary>The array's dtype as its header declares it ('&lt;f8', '&lt;f4', ...), read with the same rule as the data,
    /// whatever the spacing (numpy writes "'descr': '&lt;f8'", other writers "'descr':'&lt;f8'"); null when there is none.</summary>
    public static string? DType(string path)
    {
        using var f = File.OpenRead(path);
        var head = new byte[12];
        if (f.Read(head, 0, 12) < 10 || !head.AsSpan(0, 6).SequenceEqual(Magic)) return null;
        int major = head[6];
        long len = major == 1 ? BinaryPrimitives.ReadUInt16LittleEndian(head.AsSpan(8, 2)) : BinaryPrimitives.ReadUInt32LittleEndian(head.AsSpan(8, 4));
        int offset = major == 1 ? 10 : 12;
        if (len > 1 << 20 || offset + len > f.Length) return null;
        var header = new byte[len];
        f.Position = offset;
        f.ReadExactly(header);
        var m = DescrPattern.Match((major == 3 ? Encoding.UTF8 : Encoding.Latin1).GetString(header));
        return m.Success ? m.Groups[1].Value : null;
    }

    static readonly Regex DescrPattern = new(@"'descr'\s*:\s*'([^']*)'");

    static (double[] Data, long[] Shape) ReadArrayDouble(string path, bool twoD)
    {
        if (!File.Exists(path)) throw new FileNotFoundException($"No .npy file at '{path}'. Check the path.", path);
        byte[] bytes = File.ReadAllBytes(path);
        string Bad(string what) => twoD
            ? $"'{path}' is not a valid 2-D .npy matrix: {what}. Save it with numpy.save(path, array.astype('float32')) from a 2-D array."
            : $"'{path}' is not a valid .npy array: {what}. Save it with numpy.save(path, array.astype('float32')).";
        if (bytes.Length < 10 || !bytes.AsSpan(0, 6).SequenceEqual(Magic)) throw new SelfSimException(Bad("it does not start with the \\x93NUMPY magic"));
        int major = bytes[6];
        int headerLen, offset;
        if (major == 1) { headerLen = BinaryPrimitives.ReadUInt16LittleEndian(bytes.AsSpan(8, 2)); offset = 10; }
        else if (major is 2 or 3)
        {
            if (bytes.Length < 12) throw new SelfSimException(Bad("the header is truncated"));
            headerLen = (int)BinaryPrimitives.ReadUInt32LittleEndian(bytes.AsSpan(8, 4)); offset = 12;
        }
        else throw new SelfSimException(Bad($"format version {major} is unknown (1, 2 or 3 expected)"));
        if (headerLen < 0 || offset + headerLen > bytes.Length) throw new SelfSimException(Bad("the header is truncated"));
        string header = (major == 3 ? Encoding.UTF8 : Encoding.Latin1).GetString(bytes, offset, headerLen);
        int dataStart = offset + headerLen;

        var descrM = DescrPattern.Match(header);
        var fortranM = Regex.Match(header, @"'fortran_order'\s*:\s*(True|False)");
        var shapeM = Regex.Match(header, @"'shape'\s*:\s*\(([^)]*)\)");
        if (!descrM.Success || !fortranM.Success || !shapeM.Success) throw new SelfSimException(Bad("the header lacks descr, fortran_order or shape"));
        string descr = descrM.Groups[1].Value;
        bool fortran = fortranM.Groups[1].Value == "True";
        var dims = shapeM.Groups[1].Value.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        if (twoD && dims.Length != 2)
            throw new SelfSimException(Bad($"its shape is ({shapeM.Groups[1].Value}), a {dims.Length}-D array; a [nodes, samples] matrix is needed (reshape it to 2-D)"));
        var shape = new long[dims.Length];
        long count = 1;
        for (int k = 0; k < dims.Length; k++)
        {
            if (!long.TryParse(dims[k], NumberStyles.Integer, CultureInfo.InvariantCulture, out shape[k]) || shape[k] < 0)
                throw new SelfSimException(Bad($"its shape ({shapeM.Groups[1].Value}) is not readable"));
            count *= shape[k];
            if (count > int.MaxValue) throw new SelfSimException(Bad($"its shape ({shapeM.Groups[1].Value}) is not readable"));
        }

        char endian = descr.Length > 0 ? descr[0] : '?';
        string kind = descr.Length > 1 ? descr.Substring(1) : "";
        int size = kind switch { "f4" => 4, "f8" => 8, "i4" => 4, "i8" => 8, _ => 0 };
        if (size == 0 || (endian != '<' && endian != '>' && endian != '|' && endian != '='))
            throw new SelfSimException(Bad($"its dtype '{descr}' is not supported (float32 '<f4' or float64 '<f8' expected)"));
        bool big = endian == '>';
        long need = count * size;
        string dimsText = string.Join("×", shape);
        if (bytes.Length - dataStart < need)
            throw new SelfSimException(Bad($"the data is truncated ({bytes.Length - dataStart} bytes for {dimsText} values of {size} bytes)"));
        if (bytes.Length - dataStart > need)
            throw new SelfSimException(Bad($"the data holds {bytes.Length - dataStart} bytes but the header's shape ({string.Join(", ", shape)}) of {size}-byte values needs {need}; " +
                                           "the header does not describe the data"));

        var data = new double[count];
        var span = bytes.AsSpan(dataStart);
        // Fortran order: the first index varies fastest; c-order position of file element i from its mixed-radix digits.
        var cStride = new long[shape.Length];
        for (int k = shape.Length - 1, st = 1; k >= 0; k--) { cStride[k] = st; st *= (int)Math.Max(1, shape[k]); }
        for (int i = 0; i < data.Length; i++)
        {
            var s = span.Slice(i * size, size);
            double v = kind switch
            {
                "f4" => big ? BinaryPrimitives.ReadSingleBigEndian(s) : BinaryPrimitives.ReadSingleLittleEndian(s),
                "f8" => big ? BinaryPrimitives.ReadDoubleBigEndian(s) : BinaryPrimitives.ReadDoubleLittleEndian(s),
                "i4" => big ? BinaryPrimitives.ReadInt32BigEndian(s) : BinaryPrimitives.ReadInt32LittleEndian(s),
                _ => big ? BinaryPrimitives.ReadInt64BigEndian(s) : BinaryPrimitives.ReadInt64LittleEndian(s),
            };
            if (!fortran) { data[i] = v; continue; }
            long rest = i, at = 0;
            for (int k = 0; k < shape.Length; k++) { at += rest % shape[k] * cStride[k]; rest /= shape[k]; }
            data[at] = v;
        }
        return (data, shape);
    }

    /// <summary>Writes a row-major float32 matrix as a format 1.0 .npy file ('&lt;f4', C order), atomically (temp file + rename).</summary>
    public static void Write(string path, float[] data, int rows, int cols)
    {
        if (data is null) throw new ArgumentNullException(nameof(data));
        if (rows < 0 || cols < 0 || (long)rows * cols != data.Length)
            throw new SelfSimException($"NpyFile.Write: {data.Length} values do not make a {rows}×{cols} matrix.");
        string dict = $"{{'descr': '<f4', 'fortran_order': False, 'shape': ({rows}, {cols}), }}";
        int total = 10 + dict.Length + 1;
        int pad = (64 - total % 64) % 64;
        string header = dict + new string(' ', pad) + "\n";
        AtomicFile.Write(path, fs =>
        {
            fs.Write(Magic);
            fs.WriteByte(1); fs.WriteByte(0);
            Span<byte> len = stackalloc byte[2];
            BinaryPrimitives.WriteUInt16LittleEndian(len, (ushort)header.Length);
            fs.Write(len);
            fs.Write(Encoding.Latin1.GetBytes(header));
            var buf = new byte[data.Length * 4];
            for (int i = 0; i < data.Length; i++) BinaryPrimitives.WriteSingleLittleEndian(buf.AsSpan(i * 4, 4), data[i]);
            fs.Write(buf);
        });
    }
}
