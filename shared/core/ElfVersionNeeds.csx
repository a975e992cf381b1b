#nullable enable
// Reads and edits the symbol-version needs (.gnu.version_r) of an ELF64 shared object (ELF gABI, "Symbol Versioning").
// One implementation for three callers: the build step (tools/build/NativePatch.targets compiles this file together
// with tools/build/WeakenGlibcxxNeed.cs into an MSBuild inline task), the notebook kernel (TorchNativeLoader), and
// `selfsim doctor`. It must stay netstandard2.0 C# with no other shared dependency, because MSBuild compiles it alone.
//
// Why: TorchSharp 0.107.0's libLibTorchSharp.so asks for GLIBCXX_3.4.32 only for the symbol
// std::ios_base_library_init, which nothing relocates against. Debian 12 and Ubuntu 22.04 ship an
// older libstdc++, so the loader refuses the library. Marking that one version need WEAK
// (VER_FLG_WEAK in the vernaux entry's vna_flags) turns the hard failure into a no-op.
#nullable enable
using System;
using System.Collections.Generic;
using System.IO;
using System.Text;

public static class ElfVersionNeeds
{
    public const ushort VerFlagWeak = 0x2;
    public const string TorchSharpGlibcxxVersion = "GLIBCXX_3.4.32";
    const uint ShtGnuVerdef = 0x6ffffffd, ShtGnuVerneed = 0x6ffffffe;

    /// <summary>One vernaux entry: a version that <see cref="File"/> must provide.</summary>
    public sealed class Need
    {
        public Need(string file, string version, ushort flags, long flagsOffset) { File = file; Version = version; Flags = flags; FlagsOffset = flagsOffset; }
        public string File { get; }
        public string Version { get; }
        public ushort Flags { get; }
        /// <summary>Byte offset of vna_flags in the file.</summary>
        public long FlagsOffset { get; }
        public bool IsWeak => (Flags & VerFlagWeak) != 0;
    }

    public enum PatchOutcome { NotNeeded, Patched, AlreadyWeak, VersionNotNeeded, NotElf64 }

    sealed class Section { public uint Type; public long Offset; public long Size; public uint Link; public uint Info; }

    static List<Section>? Sections(byte[] b)
    {
        if (b.Length < 64 || b[0] != 0x7f || b[1] != (byte)'E' || b[2] != (byte)'L' || b[3] != (byte)'F') return null;
        if (b[4] != 2 || b[5] != 1) return null; // ELFCLASS64, little-endian only
        long shoff = BitConverter.ToInt64(b, 0x28);
        int shentsize = BitConverter.ToUInt16(b, 0x3A), shnum = BitConverter.ToUInt16(b, 0x3C);
        if (shoff <= 0 || shentsize < 64 || shoff + (long)shnum * shentsize > b.Length) return null;
        var list = new List<Section>(shnum);
        for (int i = 0; i < shnum; i++)
        {
            long h = shoff + (long)i * shentsize;
            list.Add(new Section
            {
                Type = BitConverter.ToUInt32(b, (int)h + 4),
                Offset = BitConverter.ToInt64(b, (int)h + 0x18),
                Size = BitConverter.ToInt64(b, (int)h + 0x20),
                Link = BitConverter.ToUInt32(b, (int)h + 0x28),
                Info = BitConverter.ToUInt32(b, (int)h + 0x2C),
            });
        }
        return list;
    }

    static string CString(byte[] b, long at)
    {
        long end = at;
        while (end < b.Length && b[end] != 0) end++;
        return Encoding.ASCII.GetString(b, (int)at, (int)(end - at));
    }

    /// <summary>All version needs of an ELF64 little-endian object; null when the bytes are not one.</summary>
    public static List<Need>? ReadNeeds(byte[] b)
    {
        var secs = Sections(b);
        if (secs == null) return null;
        var needs = new List<Need>();
        foreach (var s in secs)
        {
            if (s.Type != ShtGnuVerneed || s.Link >= secs.Count) continue;
            long strtab = secs[(int)s.Link].Offset;
            long vn = s.Offset;
            for (uint i = 0; i < s.Info; i++)
            {
                ushort cnt = BitConverter.ToUInt16(b, (int)vn + 2);
                string file = CString(b, strtab + BitConverter.ToUInt32(b, (int)vn + 4));
                long aux = vn + BitConverter.ToUInt32(b, (int)vn + 8);
                for (int j = 0; j < cnt; j++)
                {
                    ushort flags = BitConverter.ToUInt16(b, (int)aux + 4);
                    string name = CString(b, strtab + BitConverter.ToUInt32(b, (int)aux + 8));
                    needs.Add(new Need(file, name, flags, aux + 4));
                    uint nextAux = BitConverter.ToUInt32(b, (int)aux + 12);
                    if (nextAux == 0) break;
                    aux += nextAux;
                }
                uint next = BitConverter.ToUInt32(b, (int)vn + 12);
                if (next == 0) break;
                vn += next;
            }
        }
        return needs;
    }

    /// <summary>The versions an ELF64 object defines (.gnu.version_d), e.g. GLIBCXX_3.4.30 for libstdc++.</summary>
    public static HashSet<string>? ReadDefinitions(byte[] b)
    {
        var secs = Sections(b);
        if (secs == null) return null;
        var defs = new HashSet<string>(StringComparer.Ordinal);
        foreach (var s in secs)
        {
            if (s.Type != ShtGnuVerdef || s.Link >= secs.Count) continue;
            long strtab = secs[(int)s.Link].Offset;
            long vd = s.Offset;
            for (uint i = 0; i < s.Info; i++)
            {
                long aux = vd + BitConverter.ToUInt32(b, (int)vd + 12);
                defs.Add(CString(b, strtab + BitConverter.ToUInt32(b, (int)aux)));
                uint next = BitConverter.ToUInt32(b, (int)vd + 16);
                if (next == 0) break;
                vd += next;
            }
        }
        return defs;
    }

    /// <summary>The libstdc++.so.6 the dynamic loader would pick, from the usual multiarch folders.</summary>
    public static string? FindSystemLibStdCxx()
    {
        var dirs = new List<string>();
        foreach (var d in (Environment.GetEnvironmentVariable("LD_LIBRARY_PATH") ?? "").Split(new[] { ':' }, StringSplitOptions.RemoveEmptyEntries)) dirs.Add(d);
        dirs.AddRange(new[] {
            "/lib/x86_64-linux-gnu", "/usr/lib/x86_64-linux-gnu", "/lib/aarch64-linux-gnu", "/usr/lib/aarch64-linux-gnu",
            "/usr/lib64", "/lib64", "/usr/lib", "/lib" });
        foreach (var d in dirs)
        {
            var p = Path.Combine(d, "libstdc++.so.6");
            if (File.Exists(p)) return p;
        }
        return null;
    }

    /// <summary>True when the system C++ runtime defines <paramref name="version"/>; null when none was found.</summary>
    public static bool? SystemProvides(string version, string? libPath = null)
    {
        libPath ??= FindSystemLibStdCxx();
        if (libPath == null) return null;
        var defs = ReadDefinitions(File.ReadAllBytes(libPath));
        return defs?.Contains(version);
    }

    /// <summary>
    /// The bytes of an ELF object with every need for <paramref name="version"/> marked WEAK, or null with the reason
    /// in <paramref name="outcome"/> (not ELF64, version not needed, already weak). The input array is not changed.
    /// </summary>
    public static byte[]? Weakened(byte[] original, string version, out PatchOutcome outcome)
    {
        var needs = ReadNeeds(original);
        if (needs == null) { outcome = PatchOutcome.NotElf64; return null; }
        var hits = needs.FindAll(n => n.Version == version);
        if (hits.Count == 0) { outcome = PatchOutcome.VersionNotNeeded; return null; }
        if (hits.TrueForAll(n => n.IsWeak)) { outcome = PatchOutcome.AlreadyWeak; return null; }
        var b = (byte[])original.Clone();
        foreach (var n in hits)
        {
            ushort f = (ushort)(n.Flags | VerFlagWeak);
            b[n.FlagsOffset] = (byte)(f & 0xff);
            b[n.FlagsOffset + 1] = (byte)(f >> 8);
        }
        outcome = PatchOutcome.Patched;
        return b;
    }

    /// <summary>
    /// Marks the need for <paramref name="version"/> WEAK in <paramref name="soPath"/>, in place and atomically,
    /// unless the system already provides it (then nothing is touched).
    /// </summary>
    public static PatchOutcome WeakenIfMissing(string soPath, string version, bool systemProvides)
    {
        var b = File.ReadAllBytes(soPath);
        var needs = ReadNeeds(b);
        if (needs == null) return PatchOutcome.NotElf64;
        if (!needs.Exists(n => n.Version == version)) return PatchOutcome.VersionNotNeeded;
        if (systemProvides) return PatchOutcome.NotNeeded;
        var patched = Weakened(b, version, out var outcome);
        if (patched == null) return outcome;
        // The MSBuild task compiles this file alone, so it cannot use AtomicFile: same temp-and-rename rule, inline.
        var tmp = soPath + ".selfsim-tmp";
        File.WriteAllBytes(tmp, patched);
        File.Replace(tmp, soPath, null); // atomic rename over the original
        return PatchOutcome.Patched;
    }
}
