#nullable enable
using System;
using System.IO;
using System.IO.Compression;

/// <summary>The IDX format of MNIST and Fashion-MNIST (LeCun et al. 1998): big-endian dims, then unsigned bytes. Plain or gzip.</summary>
public static class IdxFile
{
    /// <summary>Reads an unsigned-byte IDX file (plain or .gz). <paramref name="dataset"/> names the fetch command in errors.</summary>
    public static (int[] Shape, byte[] Data) Read(string path, string dataset = "mnist")
    {
        if (!File.Exists(path)) throw DataPaths.Missing(path, dataset);
        byte[] bytes;
        try
        {
            using var file = File.OpenRead(path);
            int b0 = file.ReadByte(), b1 = file.ReadByte();
            file.Position = 0;
            using Stream s = b0 == 0x1f && b1 == 0x8b ? new GZipStream(file, CompressionMode.Decompress) : file;
            using var ms = new MemoryStream();
            s.CopyTo(ms);
            bytes = ms.ToArray();
        }
        catch (InvalidDataException e) { throw DataPaths.Corrupt(path, dataset, "gzip stream broken: " + e.Message); }
        catch (EndOfStreamException e) { throw DataPaths.Corrupt(path, dataset, "gzip stream truncated: " + e.Message); }

        if (bytes.Length < 4 || bytes[0] != 0 || bytes[1] != 0)
            throw DataPaths.Corrupt(path, dataset, "not an IDX file: bad magic number");
        if (bytes[2] != 0x08)
            throw DataPaths.Corrupt(path, dataset, $"IDX element type 0x{bytes[2]:x2} is not unsigned byte (0x08)");
        int ndims = bytes[3];
        if (ndims < 1 || bytes.Length < 4 + 4 * ndims)
            throw DataPaths.Corrupt(path, dataset, "IDX header truncated");
        var shape = new int[ndims];
        long count = 1;
        for (int i = 0; i < ndims; i++)
        {
            int at = 4 + 4 * i;
            shape[i] = (bytes[at] << 24) | (bytes[at + 1] << 16) | (bytes[at + 2] << 8) | bytes[at + 3];
            if (shape[i] < 0) throw DataPaths.Corrupt(path, dataset, "negative IDX dimension");
            count *= shape[i];
        }
        int offset = 4 + 4 * ndims;
        if (bytes.Length - offset != count)
            throw DataPaths.Corrupt(path, dataset, $"IDX header promises {count} values but the file holds {bytes.Length - offset}");
        var data = new byte[count];
        Buffer.BlockCopy(bytes, offset, data, 0, (int)count);
        return (shape, data);
    }
}
