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
        var skip = new Option<bool>("--no-check") { Description = "skip the end-to-end check (a small MLP trained on the embedded MNIST)" };
        var cmd = new Command("doctor", "Print the .NET and TorchSharp versions, the device, the native-library patch status, and run an end-to-end check.") { device, skip };
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
            Console.WriteLine($"data folder:   {DataPaths.Default}");
            if (parse.GetValue(skip)) return 0;
            var r = EndToEndCheck.Run(d);
            Console.WriteLine($"end-to-end:    MLP on {r.TrainSamples} MNIST images, 2 epochs: test accuracy {r.TestAccuracy:P1} on {r.TestSamples} images ({r.Seconds:F1} s)");
            if (r.TestAccuracy < 0.85)
            {
                Console.Error.WriteLine("end-to-end check FAILED: accuracy below 85%. The data or the TorchSharp backend is broken.");
                return 1;
            }
            return 0;
        });
        return cmd;
    }
}
