using System;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.PixelFormats;
using static TorchSharp.torch;

namespace SelfSim.Cli;

/// <summary>Decodes JPEG/PNG/BMP/GIF files with SixLabors.ImageSharp 2.1 (Apache-2.0) into [3,H,W] float tensors in [0, 1].</summary>
public static class ImageSharpDecoder
{
    public static Tensor Decode(string path)
    {
        using var image = Image.Load<Rgb24>(path);
        int h = image.Height, w = image.Width, plane = h * w;
        var data = new float[3 * plane];
        image.ProcessPixelRows(rows =>
        {
            for (int y = 0; y < h; y++)
            {
                var row = rows.GetRowSpan(y);
                for (int x = 0; x < w; x++)
                {
                    var p = row[x];
                    int i = y * w + x;
                    data[i] = p.R / 255f; data[plane + i] = p.G / 255f; data[2 * plane + i] = p.B / 255f;
                }
            }
        });
        return tensor(data, new long[] { 3, h, w });
    }

    /// <summary>Makes shared/'s ImageFolder decode with ImageSharp (called once at start-up by the command line and its tests).</summary>
    public static void Install() => ImageFolder.Decoder ??= Decode;
}
