using System;
using System.IO;
using System.Text;

/// <summary>Atomic file writes for run outputs: write a temporary file beside the target, flush it, then rename over the target.</summary>
public static class RunFiles
{
    public static void WriteAllText(string path, string text) => Write(path, s =>
    {
        var bytes = new UTF8Encoding(false).GetBytes(text);
        s.Write(bytes, 0, bytes.Length);
    });

    /// <summary>Calls <paramref name="write"/> on a temporary file and moves it over <paramref name="path"/> only once it completed.</summary>
    public static void Write(string path, Action<Stream> write)
    {
        var full = Path.GetFullPath(path);
        Directory.CreateDirectory(Path.GetDirectoryName(full)!);
        var tmp = full + $".tmp-{Environment.ProcessId}";
        try
        {
            using (var fs = new FileStream(tmp, FileMode.Create, FileAccess.Write, FileShare.None))
            {
                write(fs);
                fs.Flush(flushToDisk: true);
            }
            File.Move(tmp, full, overwrite: true);
        }
        catch
        {
            try { File.Delete(tmp); } catch (IOException) { }
            throw;
        }
    }
}
