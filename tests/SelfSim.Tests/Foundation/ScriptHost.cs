using System;
using System.Linq;
using System.Threading.Tasks;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Scripting;
using Microsoft.CodeAnalysis.Scripting;

namespace SelfSim.Tests.Foundation;

/// <summary>Runs C# script text the way a notebook would: #load relative to a folder, the project's packages referenced.</summary>
public static class ScriptHost
{
    public static ScriptOptions Options(string baseDirectory) =>
        ScriptOptions.Default
            .WithFilePath(System.IO.Path.Combine(baseDirectory, "test.csx"))
            .WithSourceResolver(new SourceFileResolver(Array.Empty<string>(), baseDirectory))
            .WithOptimizationLevel(OptimizationLevel.Release)
            .AddReferences(typeof(TorchSharp.torch).Assembly,
                           typeof(Plotly.NET.GenericChart).Assembly,
                           typeof(Plotly.NET.CSharp.Chart).Assembly,
                           typeof(Microsoft.Data.Analysis.DataFrame).Assembly,
                           typeof(Microsoft.DotNet.Interactive.Formatting.Formatter).Assembly)
            // The whole shared framework, as the .NET Interactive kernel offers it.
            .AddReferences(System.IO.Directory.GetFiles(System.Runtime.InteropServices.RuntimeEnvironment.GetRuntimeDirectory(), "*.dll")
                .Where(IsManaged).Select(p => MetadataReference.CreateFromFile(p)));

    static bool IsManaged(string path)
    {
        try { System.Reflection.AssemblyName.GetAssemblyName(path); return true; }
        catch (BadImageFormatException) { return false; }
    }

    public static Task<object?> EvaluateAsync(string code, string baseDirectory) =>
        CSharpScript.EvaluateAsync<object?>(code, Options(baseDirectory));
}
