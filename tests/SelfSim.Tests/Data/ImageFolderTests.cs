using System;
using System.IO;
using System.Linq;
using SelfSim.Cli;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.PixelFormats;
using TorchSharp;
using Xunit;
using static TorchSharp.torch;

namespace SelfSim.Tests.Data;

/// <summary>Imagenette and CINIC-10 class folders, written by the test itself with ImageSharp.</summary>
public class ImageFolderTests : IDisposable
{
    readonly string dir = Directory.CreateTempSubdirectory("selfsim-folders-").FullName;
    public void Dispose() => Directory.Delete(dir, recursive: true);

    static void Write(string path, int w, int h, Func<int, int, Rgb24> pixel)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        using var img = new Image<Rgb24>(w, h);
        for (int y = 0; y < h; y++) for (int x = 0; x < w; x++) img[x, y] = pixel(x, y);
        if (path.EndsWith(".png", StringComparison.OrdinalIgnoreCase)) img.SaveAsPng(path); else img.SaveAsJpeg(path);
    }

    [Fact]
    public void Cinic10_pngs_load_losslessly_with_labels_from_sorted_folders()
    {
        var root = Path.Combine(dir, "cinic10", "train");
        Write(Path.Combine(root, "bird", "b1.png"), 32, 32, (x, y) => new Rgb24((byte)(x * 8), (byte)(y * 8), 7));
        Write(Path.Combine(root, "airplane", "a1.png"), 32, 32, (x, y) => new Rgb24(10, 20, 30));
        Write(Path.Combine(root, "airplane", "a2.png"), 32, 32, (x, y) => new Rgb24(200, 100, 0));
        File.WriteAllText(Path.Combine(root, "airplane", "notes.txt"), "not an image");
        var data = ImageFolder.LoadCinic10(dir, "train", decode: ImageSharpDecoder.Decode);
        Assert.Equal(3, data.Count);
        Assert.Equal(2, data.Classes);
        Assert.Equal(new long[] { 0, 0, 1 }, data.Labels.data<long>().ToArray()); // airplane < bird
        Assert.Equal(new long[] { 3, 3, 32, 32 }, data.Images.shape);
        Assert.Equal(200 / 255f, data.Images[1, 0, 5, 5].item<float>(), 6);
        Assert.Equal(8 * 9 / 255f, data.Images[2, 0, 4, 9].item<float>(), 6); // red = 8x at x = 9
        Assert.Equal(8 * 4 / 255f, data.Images[2, 1, 4, 9].item<float>(), 6); // green = 8y at y = 4
    }

    [Fact]
    public void Imagenette_jpegs_are_resized_and_centre_cropped()
    {
        var root = Path.Combine(dir, "imagenette", "imagenette2-320", "val");
        // 48×32 JPEGs: left half dark, right half bright, so the centre crop keeps both halves.
        Write(Path.Combine(root, "n01440764", "ILSVRC_1.JPEG"), 48, 32, (x, y) => x < 24 ? new Rgb24(20, 20, 20) : new Rgb24(230, 230, 230));
        Write(Path.Combine(root, "n02102040", "ILSVRC_2.JPEG"), 48, 32, (x, y) => new Rgb24(250, 10, 10));
        var data = ImageFolder.LoadImagenette(dir, train: false, size: 16, decode: ImageSharpDecoder.Decode);
        Assert.Equal(new long[] { 2, 3, 16, 16 }, data.Images.shape);
        Assert.Equal(new long[] { 0, 1 }, data.Labels.data<long>().ToArray());
        Assert.Equal("tench", ImageFolder.ImagenetteClasses["n01440764"]);
        // Shorter side 32 → ⌊16/0.875⌋ = 18 (27×18), centre 16×16: the left columns stay dark, the right ones bright.
        Assert.InRange(data.Images[0, 0, 8, 0].item<float>(), 0, 0.15);
        Assert.InRange(data.Images[0, 0, 8, 15].item<float>(), 0.85, 1);
        Assert.InRange(data.Images[1, 0, 8, 8].item<float>(), 0.9, 1);   // red channel of the red image (JPEG is lossy)
        Assert.InRange(data.Images[1, 1, 8, 8].item<float>(), 0, 0.12);
    }

    [Fact]
    public void Missing_folder_broken_file_and_missing_decoder_name_the_fix()
    {
        var missing = Assert.Throws<SelfSimException>(() => ImageFolder.LoadImagenette(dir, true, 16, ImageSharpDecoder.Decode));
        Assert.Contains("selfsim data fetch imagenette", missing.Message);

        var root = Path.Combine(dir, "cinic10", "test");
        Write(Path.Combine(root, "cat", "ok.png"), 32, 32, (x, y) => new Rgb24(1, 2, 3));
        Directory.CreateDirectory(Path.Combine(root, "dog"));
        File.WriteAllBytes(Path.Combine(root, "dog", "broken.png"), new byte[] { 1, 2, 3, 4 });
        var broken = Assert.Throws<SelfSimException>(() => ImageFolder.LoadCinic10(dir, "test", decode: ImageSharpDecoder.Decode));
        Assert.Contains("broken.png", broken.Message);

        var saved = ImageFolder.Decoder;
        ImageFolder.Decoder = null;
        try
        {
            var none = Assert.Throws<SelfSimException>(() => ImageFolder.LoadCinic10(dir, "test"));
            Assert.Contains("ImageSharp", none.Message);
        }
        finally { ImageFolder.Decoder = saved; }
    }

    [Fact]
    public void Imagenette_fetch_is_the_fastai_archive_verified_by_md5()
    {
        var spec = DatasetCatalog.Get("imagenette");
        var src = Assert.Single(spec.Sources);
        Assert.Equal("https://s3.amazonaws.com/fast-ai-imageclas/imagenette2-320.tgz", src.Url);
        Assert.Equal("3df6f0d01a2c9592104656642f5e78a3", src.Md5);
        Assert.True(src.ExtractTarGz);
        Assert.Contains("imagenette2-320/noisy_imagenette.csv", spec.ExpectedFiles);
    }
}
