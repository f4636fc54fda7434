using EdgeAi.Interop.Native;

namespace EdgeAi.Interop.Tests;

public sealed class NativeLibrariesTests
{
    [Fact]
    public void Require_InstalledLibraries_DoNotThrow()
    {
        Assert.StartsWith("4.13", NativeLibraries.RequireOpenCv());
    }

    [Fact]
    public void NativeLibraryMissingException_Message_NamesSonameAndDebianPackage()
    {
        var ex = new NativeLibraryMissingException("libgtk-3.so.0", "libgtk-3-0");
        Assert.Contains("libgtk-3.so.0", ex.Message);
        Assert.Contains("apt-get install libgtk-3-0", ex.Message);
    }

    [Fact]
    public void OpenCvMissing_LoaderSaysGtkMissing_NamesGtkPackage()
    {
        // What .NET reports when libOpenCvSharpExtern.so is found but GTK 3 (not installed by default on a server) is not.
        var loader = new DllNotFoundException("Unable to load shared library 'OpenCvSharpExtern' or one of its dependencies. In order to help diagnose loading problems, consider using a tool like strace. " +
            "If you're using glibc, consider setting the LD_DEBUG environment variable: \n/opt/edgeai/bin/runtimes/linux-x64/native/libOpenCvSharpExtern.so: cannot open shared object file: No such file or directory\n" +
            "/opt/edgeai/bin/runtimes/linux-x64/native/OpenCvSharpExtern.so: libgtk-3.so.0: cannot open shared object file: No such file or directory");

        var ex = NativeLibraries.OpenCvMissing(new TypeInitializationException("OpenCvSharp.Internal.NativeMethods", loader));

        Assert.Equal("libgtk-3.so.0", ex.Library);
        Assert.Equal("libgtk-3-0", ex.DebianPackage);
        Assert.Contains("apt-get install libgtk-3-0", ex.Message);
    }

    [Fact]
    public void OpenCvMissing_ExternItselfMissing_SaysWhatTheLoaderSaid()
    {
        var loader = new DllNotFoundException("/opt/edgeai/bin/libOpenCvSharpExtern.so: cannot open shared object file: No such file or directory");

        var ex = NativeLibraries.OpenCvMissing(loader);

        Assert.Equal("libOpenCvSharpExtern.so", ex.Library);
        Assert.Contains("/opt/edgeai/bin/libOpenCvSharpExtern.so", ex.InnerException!.Message);
    }

    [Fact]
    public void OpenCvDependencies_EveryNeededLibraryOfTheExtern_HasAPackage()
    {
        // The NEEDED entries of the shipped libOpenCvSharpExtern.so, read from its ELF dynamic section, are all known
        // (or part of libc/libstdc++/libgcc), so a missing one is always reported with its package and setup installs it.
        // Built for linux-x64 (Directory.Build.props), so the package's native library sits beside the assemblies.
        var extern_ = Path.Combine(AppContext.BaseDirectory, "libOpenCvSharpExtern.so");
        Assert.True(File.Exists(extern_), extern_);
        var needed = ElfNeeded.Read(extern_);
        string[] always = ["libm.so.6", "librt.so.1", "libpthread.so.0", "libdl.so.2", "libstdc++.so.6", "libgcc_s.so.1", "libc.so.6", "ld-linux-x86-64.so.2"];

        Assert.NotEmpty(needed);
        Assert.All(needed.Except(always), soname => Assert.True(NativeLibraries.OpenCvDependencies.ContainsKey(soname), $"{soname} has no Debian package in the table"));
    }
}

/// <summary>The DT_NEEDED entries of a 64-bit little-endian ELF shared library (what <c>readelf -d</c> lists as NEEDED).</summary>
internal static class ElfNeeded
{
    public static IReadOnlyList<string> Read(string path)
    {
        var elf = File.ReadAllBytes(path);
        if (elf.Length < 64 || elf[0] != 0x7f || elf[1] != (byte)'E' || elf[4] != 2 || elf[5] != 1) throw new FormatException($"{path} is not a 64-bit little-endian ELF file");
        var sectionsAt = BitConverter.ToInt64(elf, 0x28);
        int entrySize = BitConverter.ToUInt16(elf, 0x3A), count = BitConverter.ToUInt16(elf, 0x3C);
        (long Offset, long Size, int Link) Section(int i)
        {
            var s = (int)(sectionsAt + i * entrySize);
            return (BitConverter.ToInt64(elf, s + 0x18), BitConverter.ToInt64(elf, s + 0x20), BitConverter.ToInt32(elf, s + 0x28));
        }
        for (var i = 0; i < count; i++)
        {
            if (BitConverter.ToUInt32(elf, (int)(sectionsAt + i * entrySize) + 4) != 6) continue;   // SHT_DYNAMIC
            var (offset, size, link) = Section(i);
            var strings = Section(link).Offset;
            var needed = new List<string>();
            for (var d = offset; d + 16 <= offset + size; d += 16)
            {
                var tag = BitConverter.ToInt64(elf, (int)d);
                if (tag == 0) break;                                                                        // DT_NULL
                if (tag != 1) continue;                                                                     // DT_NEEDED
                var start = (int)(strings + BitConverter.ToInt64(elf, (int)d + 8));
                needed.Add(System.Text.Encoding.ASCII.GetString(elf, start, Array.IndexOf(elf, (byte)0, start) - start));
            }
            return needed;
        }
        return [];
    }
}
