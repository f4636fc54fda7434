using EdgeAi.Worker.Inference;

namespace EdgeAi.Worker.Tests.Inference;

public sealed class PreprocessorTests
{
    [Fact]
    public void Fill_PlanarGbr_WritesRgbChannelsNormalised()
    {
        // 8x8 frame (64 px, longer than one vector): G plane = i, B plane = 100 + i, R plane = 200 + i/2.
        var input = new ManifestInput("images", 8, 8, Scale: 1 / 255f);
        var p = new Preprocessor(input);
        var frame = new byte[64 * 3];
        for (var i = 0; i < 64; i++)
        {
            frame[i] = (byte)i;
            frame[64 + i] = (byte)(100 + i);
            frame[128 + i] = (byte)(200 + i / 2);
        }
        var tensor = new float[p.TensorFloats];

        p.Fill(frame, tensor);

        for (var i = 0; i < 64; i++)
        {
            Assert.Equal((200 + i / 2) / 255f, tensor[i], 5);        // R
            Assert.Equal(i / 255f, tensor[64 + i], 5);               // G
            Assert.Equal((100 + i) / 255f, tensor[128 + i], 5);      // B
        }
    }

    [Fact]
    public void ConvertScaled_MeanStd_AppliesToEveryElementIncludingTail()
    {
        var src = Enumerable.Range(0, 77).Select(i => (byte)(i * 3)).ToArray();
        var dst = new float[77];

        Preprocessor.ConvertScaled(src, dst, 2f, -1f);

        Assert.Equal(src.Select(b => b * 2f - 1f), dst);
    }

    [Fact]
    public void Fill_FrameTooShort_Throws() =>
        Assert.Throws<ArgumentException>(() => new Preprocessor(new ManifestInput("x", 8, 8)).Fill(new byte[10], new float[192]));
}
