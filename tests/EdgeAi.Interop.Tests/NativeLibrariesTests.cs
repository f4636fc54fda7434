using EdgeAi.Interop.Native;

namespace EdgeAi.Interop.Tests;

public sealed class NativeLibrariesTests
{
    [Fact]
    public void Require_InstalledLibraries_DoNotThrow()
    {
        NativeLibraries.RequireTurboJpeg();
    }

    [Fact]
    public void NativeLibraryMissingException_Message_NamesSonameAndDebianPackage()
    {
        var ex = new NativeLibraryMissingException("libturbojpeg.so.0", "libturbojpeg0");
        Assert.Contains("libturbojpeg.so.0", ex.Message);
        Assert.Contains("apt-get install libturbojpeg0", ex.Message);
    }
}
