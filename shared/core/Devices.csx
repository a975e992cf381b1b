#nullable enable
using System;
using TorchSharp;
using static TorchSharp.torch;

/// <summary>
/// Where tensors live. CUDA when libtorch sees a GPU, else CPU; override with a name
/// ("cpu", "cuda", "cuda:1") or the SELFSIM_DEVICE environment variable.
/// </summary>
public static class Devices
{
    public const string EnvironmentVariable = "SELFSIM_DEVICE";

    /// <summary>The device to use: <paramref name="requested"/>, else $SELFSIM_DEVICE, else CUDA if available, else CPU.</summary>
    public static Device Pick(string? requested = null)
    {
        var name = string.IsNullOrWhiteSpace(requested) || requested == "auto"
            ? Environment.GetEnvironmentVariable(EnvironmentVariable)
            : requested;
        if (string.IsNullOrWhiteSpace(name) || name == "auto")
            return cuda.is_available() ? CUDA : CPU;
        name = name.Trim().ToLowerInvariant();
        if (name.StartsWith("cuda") && !cuda.is_available())
            throw new InvalidOperationException(
                $"Device '{name}' was requested but CUDA is not available to TorchSharp. " +
                "Build with -p:SelfSimBackend=cuda-linux (or cuda-windows) on a machine with an NVIDIA driver, or use --device cpu.");
        try { return new Device(name); }
        catch (Exception e)
        {
            throw new ArgumentException($"'{name}' is not a device name. Use auto, cpu, cuda or cuda:N.", e);
        }
    }

    /// <summary>A one-line description, e.g. "cpu (CUDA not available)".</summary>
    public static string Describe(Device d) =>
        d.type == DeviceType.CUDA ? $"{d} ({cuda.device_count()} CUDA device(s))" : $"{d} (CUDA {(cuda.is_available() ? "available" : "not available")})";
}
