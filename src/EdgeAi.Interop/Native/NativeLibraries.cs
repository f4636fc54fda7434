using System.Text.RegularExpressions;
using OpenCvSharp;

namespace EdgeAi.Interop.Native;

/// <summary>
/// Start-up checks of the native libraries the program loads from NuGet packages (OpenCV's libOpenCvSharpExtern.so), so a
/// missing Debian dependency fails fast with the package to install instead of a TypeInitializationException later.
/// </summary>
public static partial class NativeLibraries
{
    /// <summary>
    /// The libraries <c>libOpenCvSharpExtern.so</c> (NuGet <c>OpenCvSharp4.official.runtime.linux-x64</c>) links against
    /// (<c>readelf -d</c>, NEEDED) that Debian does not always have, by package; libc, libm, libstdc++ and libgcc_s are always there.
    /// build/setup.sh installs exactly these packages.
    /// </summary>
    internal static readonly IReadOnlyDictionary<string, string> OpenCvDependencies = new Dictionary<string, string>
    {
        ["libgtk-3.so.0"] = "libgtk-3-0", ["libgdk-3.so.0"] = "libgtk-3-0",
        ["libfreetype.so.6"] = "libfreetype6", ["libharfbuzz.so.0"] = "libharfbuzz0b",
        ["libpangocairo-1.0.so.0"] = "libpangocairo-1.0-0", ["libpango-1.0.so.0"] = "libpango-1.0-0",
        ["libatk-1.0.so.0"] = "libatk1.0-0", ["libcairo-gobject.so.2"] = "libcairo-gobject2", ["libcairo.so.2"] = "libcairo2",
        ["libgdk_pixbuf-2.0.so.0"] = "libgdk-pixbuf-2.0-0",
        ["libgio-2.0.so.0"] = "libglib2.0-0", ["libgobject-2.0.so.0"] = "libglib2.0-0", ["libglib-2.0.so.0"] = "libglib2.0-0",
        ["libdrm.so.2"] = "libdrm2", ["libatomic.so.1"] = "libatomic1", ["libX11.so.6"] = "libx11-6",
    };

    /// <summary>
    /// Loads OpenCV (evidence images, video quality) now and returns its version; throws
    /// <see cref="NativeLibraryMissingException"/> naming the Debian package of the first library it could not load.
    /// </summary>
    public static string RequireOpenCv()
    {
        try
        {
            return Cv2.GetVersionString() ?? "unknown version";
        }
        catch (Exception ex) when (ex is DllNotFoundException or TypeInitializationException or OpenCvSharpException or EntryPointNotFoundException)
        {
            throw OpenCvMissing(ex);
        }
    }

    /// <summary>Names the missing library and its package from the loader's messages along the exception chain.</summary>
    internal static NativeLibraryMissingException OpenCvMissing(Exception ex)
    {
        var text = string.Join(" | ", Chain(ex).Select(e => e.Message));
        foreach (Match m in MissingSoname().Matches(text))
        {
            var soname = m.Groups[1].Value;
            if (OpenCvDependencies.TryGetValue(soname, out var package)) return new NativeLibraryMissingException(soname, package, ex);
        }
        // libOpenCvSharpExtern.so itself is missing (it ships with the program) or an unexpected library is: say what the loader said.
        return new NativeLibraryMissingException("libOpenCvSharpExtern.so", string.Join(" ", OpenCvDependencies.Values.Distinct()), new InvalidOperationException(text, ex));
    }

    private static IEnumerable<Exception> Chain(Exception? ex)
    {
        for (; ex is not null; ex = ex.InnerException) yield return ex;
    }

    [GeneratedRegex(@"(lib[\w.+-]+?\.so(?:\.\d+)*): (?:cannot open shared object file|file too short|invalid ELF header|wrong ELF class)")]
    private static partial Regex MissingSoname();
}
