using System.Numerics;

namespace EdgeAi.Worker.Inference;

/// <summary>
/// Turns a planar 8-bit frame (ffmpeg <c>gbrp</c>: G plane, B plane, R plane, already scaled and letterboxed by
/// ffmpeg to the model input size) into the model's normalised float NCHW tensor. Each plane is one contiguous
/// run, so the whole conversion is vector arithmetic (<see cref="Vector{T}"/> widen + convert + fused scale and
/// offset); there is no per-pixel scalar loop except for the last few bytes of a plane.
/// </summary>
public sealed class Preprocessor
{
    private readonly int _planeSize;
    private readonly int[] _sourcePlaneForChannel;
    private readonly float[] _mul = new float[3];
    private readonly float[] _add = new float[3];

    public Preprocessor(ManifestInput input)
    {
        _planeSize = input.Width * input.Height;
        // gbrp plane order is G=0, B=1, R=2. Tensor channel order is RGB (or BGR when the model wants it).
        _sourcePlaneForChannel = input.Color == "BGR" ? [1, 0, 2] : [2, 0, 1];
        for (var c = 0; c < 3; c++)
        {
            var mean = input.Mean?[c] ?? 0f;
            var std = input.Std?[c] ?? 1f;
            _mul[c] = input.Scale / std;
            _add[c] = -mean / std;
        }
    }

    /// <summary>Bytes of one planar input frame (3 planes).</summary>
    public int FrameBytes => _planeSize * 3;

    /// <summary>Floats of one image in the tensor (3 × H × W).</summary>
    public int TensorFloats => _planeSize * 3;

    /// <summary>Writes one frame into <paramref name="tensor"/> (length <see cref="TensorFloats"/>).</summary>
    public void Fill(ReadOnlySpan<byte> planarGbr, Span<float> tensor)
    {
        if (planarGbr.Length < FrameBytes) throw new ArgumentException($"frame has {planarGbr.Length} bytes, expected {FrameBytes}", nameof(planarGbr));
        for (var c = 0; c < 3; c++)
        {
            var src = planarGbr.Slice(_sourcePlaneForChannel[c] * _planeSize, _planeSize);
            ConvertScaled(src, tensor.Slice(c * _planeSize, _planeSize), _mul[c], _add[c]);
        }
    }

    /// <summary>dst[i] = src[i] * mul + add, vectorised.</summary>
    public static void ConvertScaled(ReadOnlySpan<byte> src, Span<float> dst, float mul, float add)
    {
        var i = 0;
        if (Vector.IsHardwareAccelerated && src.Length >= Vector<byte>.Count)
        {
            var vm = new Vector<float>(mul);
            var va = new Vector<float>(add);
            var n = Vector<byte>.Count;
            var f = Vector<float>.Count;
            for (; i <= src.Length - n; i += n)
            {
                var b = new Vector<byte>(src[i..]);
                Vector.Widen(b, out Vector<ushort> lo, out Vector<ushort> hi);
                Vector.Widen(lo, out Vector<uint> u0, out Vector<uint> u1);
                Vector.Widen(hi, out Vector<uint> u2, out Vector<uint> u3);
                (Vector.ConvertToSingle(u0) * vm + va).CopyTo(dst[i..]);
                (Vector.ConvertToSingle(u1) * vm + va).CopyTo(dst[(i + f)..]);
                (Vector.ConvertToSingle(u2) * vm + va).CopyTo(dst[(i + 2 * f)..]);
                (Vector.ConvertToSingle(u3) * vm + va).CopyTo(dst[(i + 3 * f)..]);
            }
        }
        for (; i < src.Length; i++) dst[i] = src[i] * mul + add;
    }
}
