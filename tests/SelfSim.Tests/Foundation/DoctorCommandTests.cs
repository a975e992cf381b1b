using System;
using System.CommandLine;
using System.IO;
using SelfSim.Cli;
using Xunit;

namespace SelfSim.Tests.Foundation;

[Collection("Console")]
public class DoctorCommandTests
{
    [Fact]
    public void Doctor_reports_versions_device_and_patch()
    {
        var root = new RootCommand { new DoctorCommand().Create() };
        var outWriter = new StringWriter();
        var old = Console.Out;
        Console.SetOut(outWriter);
        int code;
        try { code = root.Parse(new[] { "doctor", "--no-check", "--device", "cpu" }).Invoke(); }
        finally { Console.SetOut(old); }
        var text = outWriter.ToString();
        Assert.Equal(0, code);
        Assert.Contains("TorchSharp:    0.107.0", text);
        Assert.Contains("device:        cpu", text);
        bool provides = ElfVersionNeeds.SystemProvides(ElfVersionNeeds.TorchSharpGlibcxxVersion) ?? false;
        Assert.Contains(provides ? "native patch:  not needed" : "native patch:  applied", text);
    }

    [Fact]
    public void End_to_end_check_learns_mnist()
    {
        var r = EndToEndCheck.Run(Devices.Pick("cpu"), trainSamples: 3000, testSamples: 1000, epochs: 2);
        Assert.Equal(3000, r.TrainSamples);
        Assert.InRange(r.TestAccuracy, 0.85, 1.0);
    }
}
