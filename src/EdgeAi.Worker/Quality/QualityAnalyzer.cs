using EdgeAi.Models.Devices;
using OpenCvSharp;

namespace EdgeAi.Worker.Quality;

/// <summary>
/// Diagnoses one camera's video quality from its analysed frames, one at a time (not thread-safe: it runs on the
/// camera's analytics loop). Stateless checks: black, overexposed, blurred. Checks against history: frozen (the
/// picture stopped changing), occluded and scene_changed (against a reference view learned from the first usable
/// frame and slowly followed while the view stays the same). A black or overexposed picture says nothing about
/// focus, motion or the view, so it suppresses the other flags and is never learned as the reference.
/// The measurements are OpenCV's (mean/std dev, Laplacian, L1 norm, area resize, normalised correlation); the working
/// and history Mats are allocated on the first frame and reused while the picture size stays the same. Dispose releases them.
/// </summary>
public sealed class QualityAnalyzer(QualityOptions options) : IDisposable
{
    // Coarse grids: 32×18 block means for view similarity, 8×6 blocks for texture (occlusion).
    private const int ViewColumns = 32, ViewRows = 18, TextureColumns = 8, TextureRows = 6;

    /// <summary>A reference block with less contrast than this is flat already (sky, wall) and cannot show an occlusion.</summary>
    private const double TexturedBlockMin = 6;

    /// <summary>Share of a new frame blended into the reference per frame while the view is unchanged (follows slow light changes).</summary>
    private const double ReferenceFollowRate = 0.02;

    private readonly Mat _previous = new();
    private readonly Mat _laplacian = new();
    private readonly Mat _float = new();
    private readonly Mat _squares = new();
    private readonly Mat _view = new();
    private readonly Mat _blockMeans = new();
    private readonly Mat _blockSquares = new();
    private readonly Mat _texture = new();
    private readonly Mat _referenceView = new();
    private readonly Mat _referenceTexture = new();
    private bool _hasPrevious;
    private bool _hasReference;
    private DateTimeOffset _unchangedSince;
    private int _differingFrames;
    private DateTimeOffset _sceneChangedUntil = DateTimeOffset.MinValue;

    public QualityOptions Options { get; } = options;

    /// <summary>
    /// Diagnoses <paramref name="grey"/> (8-bit, one channel, e.g. from <see cref="GrayFrame"/>), taken at
    /// <paramref name="at"/>. The picture is only read; what is kept of it is copied.
    /// </summary>
    public QualityReport Analyze(Mat grey, DateTimeOffset at)
    {
        ArgumentNullException.ThrowIfNull(grey);
        ObjectDisposedException.ThrowIf(_previous.IsDisposed, this);
        if (grey.Empty() || grey.Type() != MatType.CV_8UC1)
            throw new ArgumentException($"expected a non-empty 8-bit one-channel picture, got {grey.Type()} {grey.Width}x{grey.Height}", nameof(grey));
        if (_hasPrevious && _previous.Size() != grey.Size()) Reset();

        Cv2.MeanStdDev(grey, out var mean, out var stdDev);
        var (brightness, contrast) = (mean.Val0, stdDev.Val0);
        var sharpness = LaplacianVariance(grey);
        var black = brightness <= Options.BlackBrightnessMax && contrast <= Options.UniformContrastMax;
        var overexposed = brightness >= Options.OverexposedBrightnessMin;
        var usable = !black && !overexposed;

        double? change = _hasPrevious ? Cv2.Norm(_previous, grey, NormTypes.L1) / grey.Total() : null;   // mean absolute difference
        if (change is null || change > Options.FrozenChangeMax) _unchangedSince = at;
        var frozenFor = at - _unchangedSince;
        grey.CopyTo(_previous);
        _hasPrevious = true;

        double? similarity = null, occluded = null;
        var occludedNow = false;
        Blocks(grey);
        if (usable)
        {
            if (!_hasReference)
            {
                Learn();
            }
            else
            {
                similarity = NormalisedCrossCorrelation(_view, _referenceView);
                occluded = OccludedFraction();
                occludedNow = occluded >= Options.OcclusionFractionMin;
                if (occludedNow)
                {
                    _differingFrames = 0;   // a covered lens also looks like a new view: do not learn it
                }
                else if (similarity < Options.SceneSimilarityMin)
                {
                    if (++_differingFrames >= Options.SceneChangeFrames)
                    {
                        _sceneChangedUntil = at + Options.SceneChangeHold;
                        _differingFrames = 0;
                        Learn();   // the new view is the reference from now on
                    }
                }
                else
                {
                    _differingFrames = 0;
                    Cv2.AccumulateWeighted(_view, _referenceView, ReferenceFollowRate, null!);   // no mask
                    Cv2.AccumulateWeighted(_texture, _referenceTexture, ReferenceFollowRate, null!);
                }
            }
        }

        var flags = new List<string>(2);
        if (black) flags.Add(QualityFlagNames.Black);
        if (overexposed) flags.Add(QualityFlagNames.Overexposed);
        if (usable)
        {
            if (sharpness < Options.BlurSharpnessMin) flags.Add(QualityFlagNames.Blurred);
            if (frozenFor >= Options.FrozenAfter) flags.Add(QualityFlagNames.Frozen);
            if (occludedNow) flags.Add(QualityFlagNames.Occluded);
            if (at < _sceneChangedUntil) flags.Add(QualityFlagNames.SceneChanged);
        }
        var measurements = new CameraQuality(Round(brightness), Round(contrast), Round(sharpness), change is { } c ? Round(c) : null,
            Round(frozenFor.TotalSeconds), occluded is { } o ? Round(o) : null, similarity is { } s ? Round(s) : null);
        return new QualityReport(flags, measurements, at);
    }

    /// <summary>Forgets history (the picture size changed: the camera's resolution or the model input changed).</summary>
    public void Reset()
    {
        _hasPrevious = false;
        _hasReference = false;
        _differingFrames = 0;
        _sceneChangedUntil = DateTimeOffset.MinValue;
    }

    /// <summary>
    /// Variance of the 4-neighbour Laplacian over the interior pixels: the classic focus measure (Pech-Pacheco et al.,
    /// 2000). Fine detail gives large values; a blurred or flat picture gives small ones. 0 for pictures under 3×3.
    /// The kernel runs on the interior region, whose neighbours are real pixels, so no border rule enters the value.
    /// </summary>
    private double LaplacianVariance(Mat grey)
    {
        if (grey.Width < 3 || grey.Height < 3) return 0;
        using var interior = new Mat(grey, new Rect(1, 1, grey.Width - 2, grey.Height - 2));
        Cv2.Laplacian(interior, _laplacian, MatType.CV_16S, ksize: 1);
        Cv2.MeanStdDev(_laplacian, out _, out var stdDev);
        return stdDev.Val0 * stdDev.Val0;
    }

    /// <summary>
    /// Block means on the view grid (a coarse copy of the view that ignores noise, small moving objects and a pixel or two
    /// of camera shake) and grey-level standard deviation per block on the texture grid (texture per region), both by
    /// area averaging: std dev = √(mean of squares − square of mean).
    /// </summary>
    private void Blocks(Mat grey)
    {
        grey.ConvertTo(_float, MatType.CV_32F);
        Cv2.Resize(_float, _view, new Size(Math.Min(ViewColumns, grey.Width), Math.Min(ViewRows, grey.Height)), 0, 0, InterpolationFlags.Area);
        Cv2.Multiply(_float, _float, _squares);
        var texture = new Size(Math.Min(TextureColumns, grey.Width), Math.Min(TextureRows, grey.Height));
        Cv2.Resize(_float, _blockMeans, texture, 0, 0, InterpolationFlags.Area);
        Cv2.Resize(_squares, _blockSquares, texture, 0, 0, InterpolationFlags.Area);
        Cv2.Multiply(_blockMeans, _blockMeans, _blockMeans);
        Cv2.Subtract(_blockSquares, _blockMeans, _texture);
        Cv2.Max(_texture, 0, _texture);   // float rounding can leave a flat block a hair below zero
        Cv2.Sqrt(_texture, _texture);
    }

    /// <summary>
    /// Zero-mean normalised cross-correlation of two equally sized pictures, -1..1: 1 for the same picture, also under a
    /// change of brightness or contrast (gain and offset cancel out); near 0 for unrelated pictures; 0 when either is flat.
    /// From OpenCV's means, standard deviations and dot product (its TM_CCOEFF_NORMED template match gives the same
    /// number but takes ~0.4 ms on 32×18, through a DFT).
    /// </summary>
    private static double NormalisedCrossCorrelation(Mat a, Mat b)
    {
        Cv2.MeanStdDev(a, out var meanA, out var sdA);
        Cv2.MeanStdDev(b, out var meanB, out var sdB);
        if (sdA.Val0 < 1e-4 || sdB.Val0 < 1e-4) return 0;
        var covariance = a.Dot(b) / a.Total() - meanA.Val0 * meanB.Val0;
        return Math.Clamp(covariance / (sdA.Val0 * sdB.Val0), -1, 1);
    }

    /// <summary>Share of the reference's textured blocks that lost most of their texture; null when the reference has none.</summary>
    private double? OccludedFraction()
    {
        var texture = _texture.AsSpan<float>();
        var reference = _referenceTexture.AsSpan<float>();
        int textured = 0, lost = 0;
        for (var i = 0; i < reference.Length; i++)
        {
            if (reference[i] < TexturedBlockMin) continue;
            textured++;
            if (texture[i] < Options.OcclusionTextureRatio * reference[i]) lost++;
        }
        return textured == 0 ? null : (double)lost / textured;
    }

    private void Learn()
    {
        _view.CopyTo(_referenceView);
        _texture.CopyTo(_referenceTexture);
        _hasReference = true;
    }

    private static double Round(double v) => Math.Round(v, 3);

    public void Dispose()
    {
        foreach (var m in (Mat[])[_previous, _laplacian, _float, _squares, _view, _blockMeans, _blockSquares, _texture, _referenceView, _referenceTexture])
            m.Dispose();
    }
}
