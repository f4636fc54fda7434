namespace EdgeAi.Interop.Native;

/// <summary>A native library the service needs is not installed; the message names the Debian package.</summary>
public sealed class NativeLibraryMissingException(string library, string debianPackage, Exception? inner = null)
    : Exception($"native library {library} could not be loaded: install the Debian package '{debianPackage}' (apt-get install {debianPackage})", inner)
{
    public string Library { get; } = library;
    public string DebianPackage { get; } = debianPackage;
}
