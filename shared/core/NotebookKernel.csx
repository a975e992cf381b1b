#nullable enable
/// <summary>
/// What shared/SelfSim.csx runs once after loading the shared scripts, so notebooks work in the real .NET Interactive
/// kernel (Jupyter, VS Code) as well as under `selfsim run` and in the compiled library:
/// FSharp.Core binding for Plotly.NET, TorchSharp's native library from the NuGet cache, charts with inline plotly.js.
/// Each step acts only where needed and does nothing elsewhere.
/// </summary>
public static class NotebookKernel
{
    /// <summary>Idempotent. Call before the first chart or tensor.</summary>
    public static void Prepare()
    {
        FSharpCoreBinding.Install();
        TorchNativeLoader.EnsureLoadable();
        ChartDisplay.Register();
    }
}
