using System.Globalization;
using SelfSim.Cli;

// The number rule (CliNumbers): the whole process, its threads included, reads and writes numbers in the invariant culture.
CultureInfo.DefaultThreadCurrentCulture = CultureInfo.DefaultThreadCurrentUICulture = CultureInfo.InvariantCulture;

// libtorch's OpenMP threads must not spin between calls while .NET loops run (see OpenMpWaitPolicy).
OpenMpWaitPolicy.PreferPassive();
// Image-folder datasets (Imagenette, CINIC-10) decode JPEG/PNG with ImageSharp, which shared/ does not reference.
ImageSharpDecoder.Install();

return await CliErrors.InvokeAsync(CliRoot.Create(), args);
