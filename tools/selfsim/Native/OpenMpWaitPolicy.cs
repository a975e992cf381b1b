using System;
using System.Runtime.InteropServices;

namespace SelfSim.Cli;

/// <summary>
/// libtorch's OpenMP threads (libgomp) spin for a while after every parallel region when OMP_WAIT_POLICY is unset.
/// Code that alternates torch calls with .NET parallel loops (Srate, the box cover) then competes with spinning
/// threads: up to 4x slower on a busy 2-core machine. libgomp reads the variable once, when libtorch loads, so
/// a command sets it (unless the user did) before its first torch call; .NET's own Environment.SetEnvironmentVariable
/// does not reach native code on Unix, hence setenv.
/// </summary>
public static class OpenMpWaitPolicy
{
    [DllImport("libc", EntryPoint = "setenv")]
    static extern int SetEnv(string name, string value, int overwrite);

    public static void PreferPassive()
    {
        if (!(OperatingSystem.IsLinux() || OperatingSystem.IsMacOS())) return;
        if (Environment.GetEnvironmentVariable("OMP_WAIT_POLICY") is not null) return;
        try { SetEnv("OMP_WAIT_POLICY", "PASSIVE", 0); }
        catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException) { }
    }
}
