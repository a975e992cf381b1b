using System;
using System.CommandLine;
using System.Runtime.InteropServices;
using static TorchSharp.torch;

namespace SelfSim.Cli;

/// <summary>`selfsim doctor`: versions, device, and whether TorchSharp's native patch is in place.</summary>
public sealed class DoctorCommand : ICliCommand
{
    public Command Create()
    {
        var device = new Option<string>("--device") { Description = "auto, cpu, cuda or cuda:N", DefaultValueFactory = _ => "auto" };
        var cmd = new Command("doctor", "Print the .NET and TorchSharp versions, the device, and the native-library patch status.") { device };
        cmd.SetAction(parse =>
        {
            var native = NativeStatus.Inspect();
            Console.WriteLine($".NET:          {RuntimeInformation.FrameworkDescription} on {RuntimeInformation.OSDescription} ({RuntimeInformation.ProcessArchitecture})");
            Console.WriteLine($"TorchSharp:    {typeof(TorchSharp.torch).Assembly.GetName().Version}");
            Console.WriteLine($"libtorch:      {__version__}");
            var d = Devices.Pick(parse.GetValue(device));
            Console.WriteLine($"device:        {Devices.Describe(d)}");
            Console.WriteLine($"native patch:  {native.Summary}");
            if (native.LibraryPath != null) Console.WriteLine($"               {native.LibraryPath}");
            using var x = randn(4, 4, device: d);
            using var y = x.matmul(x.T).sum();
            Console.WriteLine($"tensor check:  ok ({y.item<float>():F3})");
            return 0;
        });
        return cmd;
    }
}
