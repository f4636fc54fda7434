using EdgeAi.Interop.Native;

namespace EdgeAi.Interop.Tests;

public sealed class NativeLibrariesTests
{
    [Fact]
    public void Require_InstalledLibraries_DoNotThrow()
    {
        NativeLibraries.RequireMosquitto();
        NativeLibraries.RequireTurboJpeg();
    }

    [Fact]
    public void NativeLibraryMissingException_Message_NamesSonameAndDebianPackage()
    {
        var ex = new NativeLibraryMissingException("libmosquitto.so.1", "libmosquitto1");
        Assert.Contains("libmosquitto.so.1", ex.Message);
        Assert.Contains("apt-get install libmosquitto1", ex.Message);
    }
}
