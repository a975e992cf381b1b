using System;
using System.CommandLine;
using System.Linq;
using SelfSim.Cli;

// libtorch's OpenMP threads must not spin between calls while .NET loops run (see OpenMpWaitPolicy).
OpenMpWaitPolicy.PreferPassive();
// Image-folder datasets (Imagenette, CINIC-10) decode JPEG/PNG with ImageSharp, which shared/ does not reference.
ImageSharpDecoder.Install();

var root = new RootCommand("selfsim: self-similarity analysis of the feature networks inside deep networks.");
foreach (var cmd in typeof(ICliCommand).Assembly.GetTypes()
             .Where(t => typeof(ICliCommand).IsAssignableFrom(t) && t is { IsAbstract: false, IsInterface: false })
             .Select(t => ((ICliCommand)Activator.CreateInstance(t)!).Create())
             .OrderBy(c => c.Name, StringComparer.Ordinal))
    root.Subcommands.Add(cmd);

return await CliErrors.InvokeAsync(root, args);
