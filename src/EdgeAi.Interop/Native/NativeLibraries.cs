using System.Reflection;
using System.Runtime.InteropServices;

namespace EdgeAi.Interop.Native;

/// <summary>
/// Resolves the logical library names used by the <c>[LibraryImport]</c> declarations to Debian's versioned
/// sonames (runtime packages ship only <c>libfoo.so.N</c>) and turns a missing library into a clear error.
/// </summary>
public static class NativeLibraries
{
    internal const string TurboJpeg = "edgeai-turbojpeg";

    private static readonly Dictionary<string, (string Soname, string Package)> Known = new()
    {
        [TurboJpeg] = ("libturbojpeg.so.0", "libturbojpeg0"),
    };

    private static int _registered;

    /// <summary>Installs the import resolver once per process; called by every wrapper's static constructor.</summary>
    internal static void EnsureResolver()
    {
        if (Interlocked.Exchange(ref _registered, 1) == 1) return;
        NativeLibrary.SetDllImportResolver(typeof(NativeLibraries).Assembly, Resolve);
    }

    private static IntPtr Resolve(string name, Assembly assembly, DllImportSearchPath? path)
    {
        if (!Known.TryGetValue(name, out var lib)) return IntPtr.Zero;
        return NativeLibrary.TryLoad(lib.Soname, assembly, path, out var handle) ? handle : IntPtr.Zero;
    }

    /// <summary>Loads the library now; throws <see cref="NativeLibraryMissingException"/> naming the Debian package.</summary>
    public static void Require(string logicalName)
    {
        EnsureResolver();
        var lib = Known[logicalName];
        if (!NativeLibrary.TryLoad(lib.Soname, typeof(NativeLibraries).Assembly, null, out _))
            throw new NativeLibraryMissingException(lib.Soname, lib.Package);
    }

    /// <summary>Checks a native library at start-up so a missing one fails fast with the package name.</summary>
    public static void RequireTurboJpeg() => Require(TurboJpeg);
}
