#nullable enable
using System;
using System.Linq;
using System.Reflection;
using System.Runtime.Loader;

/// <summary>
/// Binds every request for FSharp.Core to the FSharp.Core already loaded in the default load context. The .NET
/// Interactive kernel runs on its own FSharp.Core (10.0.0.0), while Plotly.NET 6.0.0 / Plotly.NET.CSharp ask for 10.1;
/// without this, Plotly.NET.CSharp throws FileNotFoundException, and returning the package's 10.1 copy instead leaves
/// two FSharp.Cores loaded, so Giraffe.ViewEngine binds to the other one and fails with MissingMethodException.
/// F# keeps FSharp.Core backward compatible, and Plotly.NET uses nothing newer than the kernel's copy.
/// Acts only where FSharp.Core is already loaded in the default context (the kernel); does nothing elsewhere.
/// </summary>
public static class FSharpCoreBinding
{
    static readonly object Gate = new();
    static bool _installed;

    /// <summary>Idempotent; call before the first chart.</summary>
    public static void Install()
    {
        lock (Gate)
        {
            if (_installed) return;
            AssemblyLoadContext.Default.Resolving += Resolve;
            _installed = true;
        }
    }

    static Assembly? Resolve(AssemblyLoadContext context, AssemblyName name)
    {
        if (!string.Equals(name.Name, "FSharp.Core", StringComparison.OrdinalIgnoreCase)) return null;
        return AssemblyLoadContext.Default.Assemblies.FirstOrDefault(a => a.GetName().Name == "FSharp.Core");
    }
}
