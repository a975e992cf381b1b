using System;
using System.Linq;
using Xunit;

namespace SelfSim.Tests.Studies;

/// <summary>shared/studies/MlpFeatureLab.csx and MlpFeatureLabCache.csx: a brief training run, its captures and the cache.</summary>
[Collection(SelfSim.Tests.Training.TorchRngCollection.Name)]
public sealed class MlpFeatureLabTests
{
    [Fact]
    public void Trains_briefly_and_captures_every_hook_point()
    {
        var lab = MlpFeatureLab.TrainAndCapture(epochs: 1, trainSamples: 256, probeSamples: 32, seed: 1, device: "cpu", dataDir: RepoPaths.Data, threads: 1);
        Assert.Equal(new[] { "stem", "blocks.0", "blocks.1", "blocks.2", "blocks.3", "blocks.4" }, lab.Layers.Select(l => l.Name).ToArray());
        Assert.All(lab.Layers, l =>
        {
            Assert.Equal((256, 32), (l.Nodes, l.Samples));
            Assert.Equal("float32", l.Precision);
            Assert.True(TorchSharp.torch.isfinite(l.Features).all().item<bool>());
        });
        Assert.InRange(lab.TestTop1, 0, 100);
        Assert.Single(lab.Report.Epochs);
        // the summary row agrees with the measures it wraps
        var (row, cover, s) = LayerMeasures.OfWithCurves(lab["blocks.2"]);
        var t = lab["blocks.2"].Features;
        Assert.Equal(Srate.Rate(t), row.S, 12);
        Assert.Equal(BoxDimensionFitter.LogLogByBoxes(cover!).Dimension.Value, row.BoxDimension.Value, 12);
        Assert.True(row.NormalisedSlope.Lower < row.NormalisedSlope.Value && row.NormalisedSlope.Value < row.NormalisedSlope.Upper);
        Assert.Equal(BoxDimensionFitter.LogLogByBoxes(s!).Dimension, row.SrateBoxDimension);
        Assert.Equal(256 * 256, lab["stem"].DistanceArray().Length);
        Assert.Throws<SelfSimException>(() => lab["head"]);

        // the notebooks' cache: a round trip keeps every value; a file in the layout written before the lab returned
        // node matrices (float32 rows, by hand here) loads as node matrices; another key is not used
        using var dir = new SelfSim.Tests.Training.TempDir();
        var key = MlpFeatureLabCache.Key(1, 256, 32, seed: 1);
        var path = System.IO.Path.Combine(dir.Path, "lab.bin");
        MlpFeatureLabCache.Save(path, key, lab);
        using (var back = MlpFeatureLabCache.Load(path, key)!)
        {
            Assert.Equal(lab.Layers.Select(l => l.Name), back.Layers.Select(l => l.Name));
            Assert.True(lab["blocks.2"].Features.equal(back["blocks.2"].Features).all().item<bool>());
            Assert.Equal(lab.TestTop1, back.TestTop1);
        }
        Assert.Null(MlpFeatureLabCache.Load(path, MlpFeatureLabCache.Key(2, 256, 32, seed: 1)));
        var earlier = System.IO.Path.Combine(dir.Path, "earlier.bin");
        using (var w = new System.IO.BinaryWriter(System.IO.File.Create(earlier), System.Text.Encoding.UTF8))
        {
            w.Write(key);
            w.Write(System.Text.Json.JsonSerializer.Serialize(lab.Report, RunLog.Json));
            w.Write(lab.TestTop1); w.Write(lab.TrainSeconds); w.Write(1); w.Write(256); w.Write(32);
            w.Write(1);
            var data = Enumerable.Range(0, 3 * 4).Select(i => i * 0.5f).ToArray();
            w.Write("blocks.9"); w.Write(3); w.Write(4); w.Write(data.Length);
            var bytes = new byte[data.Length * sizeof(float)];
            Buffer.BlockCopy(data, 0, bytes, 0, bytes.Length);
            w.Write(bytes);
        }
        using (var old = MlpFeatureLabCache.Load(earlier, key)!)
        {
            var m = old["blocks.9"];
            Assert.Equal((3, 4, "float32"), (m.Nodes, m.Samples, m.Precision));
            Assert.Equal(5.5f, m.Features[2, 3].item<float>());
            Assert.Equal(2.0, m.DistanceArray()[1], 12);   // rows 0..3 and 2..3.5 over 0.5 steps: ‖(2,2,2,2)‖/√4
        }
        Assert.Throws<SelfSimException>(() => MlpFeatureLab.TrainAndCapture(1, 256, probeSamples: 1, dataDir: RepoPaths.Data));
    }
}
