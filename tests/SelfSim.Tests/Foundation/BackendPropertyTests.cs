using System.Diagnostics;
using System.IO;
using Xunit;

namespace SelfSim.Tests.Foundation;

/// <summary>One build property picks the TorchSharp backend; evaluated by MSBuild without a restore.</summary>
public class BackendPropertyTests
{
    static (int Code, string Output) MSBuild(params string[] args)
    {
        var psi = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = RepoPaths.Root };
        psi.ArgumentList.Add("msbuild");
        psi.ArgumentList.Add(Path.Combine("shared", "SelfSim.Shared.csproj"));
        foreach (var a in args) psi.ArgumentList.Add(a);
        using var p = Process.Start(psi)!;
        var output = p.StandardOutput.ReadToEnd() + p.StandardError.ReadToEnd();
        p.WaitForExit();
        return (p.ExitCode, output);
    }

    [Theory]
    [InlineData("cpu", "TorchSharp-cpu")]
    [InlineData("cuda-linux", "TorchSharp-cuda-linux")]
    [InlineData("cuda-windows", "TorchSharp-cuda-windows")]
    public void Backend_property_selects_exactly_one_native_package(string backend, string package)
    {
        var (code, output) = MSBuild("-getItem:PackageReference", $"-p:SelfSimBackend={backend}");
        Assert.Equal(0, code);
        Assert.Contains($"\"Identity\": \"{package}\"", output);
        foreach (var other in new[] { "TorchSharp-cpu", "TorchSharp-cuda-linux", "TorchSharp-cuda-windows" })
            if (other != package) Assert.DoesNotContain($"\"Identity\": \"{other}\"", output);
    }

    [Fact]
    public void Unknown_backend_is_a_clear_build_error()
    {
        var (code, output) = MSBuild("-t:SelfSimCheckBackend", "-p:SelfSimBackend=rocm");
        Assert.NotEqual(0, code);
        Assert.Contains("SelfSimBackend='rocm' is not a backend. Use cpu, cuda-linux or cuda-windows", output);
    }
}
