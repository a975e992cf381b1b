// The build step's MSBuild task. NativePatch.targets appends this file to shared/core/ElfVersionNeeds.csx and
// compiles the two as one inline task, so the ELF code has a single home; hence no usings here (they would
// follow a declaration) and fully qualified names. Not part of any project.

/// <summary>Post-build step: weakens TorchSharp's GLIBCXX_3.4.32 need in copied native libraries, only where needed.</summary>
public class WeakenGlibcxxNeed : Microsoft.Build.Utilities.Task
{
    [Microsoft.Build.Framework.Required]
    public Microsoft.Build.Framework.ITaskItem[] Files { get; set; } = System.Array.Empty<Microsoft.Build.Framework.ITaskItem>();
    public string Version { get; set; } = ElfVersionNeeds.TorchSharpGlibcxxVersion;

    public override bool Execute()
    {
        bool? provides = ElfVersionNeeds.SystemProvides(Version);
        foreach (var item in Files)
        {
            var path = item.ItemSpec;
            try
            {
                var outcome = ElfVersionNeeds.WeakenIfMissing(path, Version, provides ?? false);
                var importance = outcome == ElfVersionNeeds.PatchOutcome.Patched
                    ? Microsoft.Build.Framework.MessageImportance.High : Microsoft.Build.Framework.MessageImportance.Low;
                Log.LogMessage(importance, $"selfsim native patch: {path}: {outcome} (system libstdc++ provides {Version}: {(provides?.ToString() ?? "unknown")})");
            }
            catch (System.Exception e)
            {
                Log.LogWarning($"selfsim native patch: could not patch {path}: {e.Message}. TorchSharp may fail to load on this system; see README, 'TorchSharp on older Linux'.");
            }
        }
        return true;
    }
}
