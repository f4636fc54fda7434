namespace EdgeAi.Models.Tests;

public sealed class UuidV7Tests
{
    [Fact]
    public void New_FromClock_IsV7AndCarriesTimestamp()
    {
        var at = new DateTimeOffset(2026, 11, 22, 8, 30, 0, 123, TimeSpan.Zero);
        var id = UuidV7.New(new FixedTime(at));

        Assert.True(UuidV7.IsV7(id));
        Assert.Equal(at, UuidV7.GetTimestamp(id));
        Assert.False(UuidV7.IsV7(Guid.NewGuid()));
    }

    [Fact]
    public void New_Successive_SortByCreationTime()
    {
        var a = UuidV7.New(new FixedTime(DateTimeOffset.UnixEpoch.AddDays(20000)));
        var b = UuidV7.New(new FixedTime(DateTimeOffset.UnixEpoch.AddDays(20000).AddMilliseconds(1)));

        Assert.True(string.CompareOrdinal(a.ToString(), b.ToString()) < 0);
    }

    [Fact]
    public void ToBytes_NetworkOrder_RoundTripsAndMatchesText()
    {
        var id = Guid.Parse("01934f6e-8a2b-7c3d-9e4f-a1b2c3d4e5f6");
        var bytes = UuidV7.ToBytes(id);

        Assert.Equal(new byte[] { 0x01, 0x93, 0x4f, 0x6e }, bytes[..4]);
        Assert.True(UuidV7.TryFromBytes(bytes, out var back));
        Assert.Equal(id, back);
        Assert.True(UuidV7.TryFromBytes("01934f6e-8a2b-7c3d-9e4f-a1b2c3d4e5f6"u8, out var fromText));
        Assert.Equal(id, fromText);
        Assert.False(UuidV7.TryFromBytes([1, 2, 3], out _));
    }

    private sealed class FixedTime(DateTimeOffset now) : TimeProvider
    {
        public override DateTimeOffset GetUtcNow() => now;
    }
}
