using System;
using System.IO;
using System.Linq;
using Xunit;

namespace SelfSim.Tests.Foundation;

/// <summary>The post-build step that lets TorchSharp 0.107.0 load where libstdc++ lacks GLIBCXX_3.4.32.</summary>
public class NativePatchTests
{
    const string V = ElfVersionNeeds.TorchSharpGlibcxxVersion;

    static string PackageCopy()
    {
        var root = Environment.GetEnvironmentVariable("NUGET_PACKAGES")
                   ?? Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".nuget", "packages");
        var p = Path.Combine(root, "torchsharp", "0.107.0", "runtimes", "linux-x64", "native", "libLibTorchSharp.so");
        Assert.True(File.Exists(p), $"TorchSharp's native library is not in the NuGet cache at {p}; run dotnet restore.");
        return p;
    }

    [Fact]
    public void Package_library_asks_for_glibcxx_3_4_32_strongly()
    {
        if (!OperatingSystem.IsLinux()) return;
        var needs = ElfVersionNeeds.ReadNeeds(File.ReadAllBytes(PackageCopy()))!;
        var need = Assert.Single(needs, n => n.Version == V);
        Assert.Equal("libstdc++.so.6", need.File);
        Assert.False(need.IsWeak);
        Assert.Contains(needs, n => n.Version == "GLIBC_2.2.5"); // a need it keeps as it is
    }

    [Fact]
    public void Patch_flips_one_flag_only_and_is_idempotent()
    {
        if (!OperatingSystem.IsLinux()) return;
        var dir = Directory.CreateTempSubdirectory("selfsim-elf").FullName;
        try
        {
            var copy = Path.Combine(dir, "lib.so");
            File.Copy(PackageCopy(), copy);
            var before = File.ReadAllBytes(copy);

            Assert.Equal(ElfVersionNeeds.PatchOutcome.NotNeeded, ElfVersionNeeds.WeakenIfMissing(copy, V, systemProvides: true));
            Assert.Equal(before, File.ReadAllBytes(copy));

            Assert.Equal(ElfVersionNeeds.PatchOutcome.Patched, ElfVersionNeeds.WeakenIfMissing(copy, V, systemProvides: false));
            var after = File.ReadAllBytes(copy);
            Assert.Equal(before.Length, after.Length);
            var diff = Enumerable.Range(0, before.Length).Where(i => before[i] != after[i]).ToList();
            var need = ElfVersionNeeds.ReadNeeds(after)!.Single(n => n.Version == V);
            Assert.Equal(new[] { (int)need.FlagsOffset }, diff);
            Assert.True(need.IsWeak);
            Assert.All(ElfVersionNeeds.ReadNeeds(after)!.Where(n => n.Version != V), n => Assert.False(n.IsWeak));

            Assert.Equal(ElfVersionNeeds.PatchOutcome.AlreadyWeak, ElfVersionNeeds.WeakenIfMissing(copy, V, systemProvides: false));
            Assert.Equal(ElfVersionNeeds.PatchOutcome.VersionNotNeeded, ElfVersionNeeds.WeakenIfMissing(copy, "GLIBCXX_9.9.99", false));
        }
        finally { Directory.Delete(dir, true); }
    }

    [Fact]
    public void Build_output_is_patched_exactly_when_the_system_lacks_the_version()
    {
        if (!OperatingSystem.IsLinux()) return;
        var sys = ElfVersionNeeds.FindSystemLibStdCxx();
        Assert.NotNull(sys);
        var defs = ElfVersionNeeds.ReadDefinitions(File.ReadAllBytes(sys!))!;
        Assert.Contains("GLIBCXX_3.4.21", defs); // every libstdc++ since GCC 5
        bool provides = defs.Contains(V);

        var status = SelfSim.Cli.NativeStatus.Inspect(AppContext.BaseDirectory);
        Assert.NotNull(status.LibraryPath);
        Assert.Equal(provides, status.SystemProvidesVersion);
        Assert.Equal(!provides, status.NeedIsWeak);
        Assert.DoesNotContain("MISSING", status.Summary);
        // The NuGet cache is never touched.
        Assert.False(ElfVersionNeeds.ReadNeeds(File.ReadAllBytes(PackageCopy()))!.Single(n => n.Version == V).IsWeak);
    }

    [Fact]
    public void Torch_trains_a_linear_model()
    {
        using var scope = TorchSharp.torch.NewDisposeScope();
        TorchSharp.torch.manual_seed(1);
        var x = TorchSharp.torch.randn(256, 3);
        var w = TorchSharp.torch.tensor(new float[] { 2f, -1f, 0.5f }).reshape(3, 1);
        var y = x.matmul(w) + 0.3f;
        var model = TorchSharp.torch.nn.Linear(3, 1);
        var opt = TorchSharp.torch.optim.SGD(model.parameters(), 0.1);
        float first = 0, last = 0;
        for (int step = 0; step < 200; step++)
        {
            opt.zero_grad();
            var loss = TorchSharp.torch.nn.functional.mse_loss(model.forward(x), y);
            loss.backward();
            opt.step();
            if (step == 0) first = loss.item<float>();
            last = loss.item<float>();
        }
        Assert.True(first > 0.5f, $"initial loss {first}");
        Assert.True(last < 1e-4f, $"final loss {last}");
        var learned = model.weight!.data<float>().ToArray();
        Assert.Equal(2f, learned[0], 2);
        Assert.Equal(-1f, learned[1], 2);
        Assert.Equal(0.3f, model.bias!.item<float>(), 2);
    }
}
