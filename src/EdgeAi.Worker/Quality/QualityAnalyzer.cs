using EdgeAi.Models.Devices;

namespace EdgeAi.Worker.Quality;

/// <summary>
/// Diagnoses one camera's video quality from its analysed frames, one at a time (not thread-safe: it runs on the
/// camera's analytics loop). Stateless checks: black, overexposed, blurred. Checks against history: frozen (the
/// picture stopped changing), occluded and scene_changed (against a reference view learned from the first usable
/// frame and slowly followed while the view stays the same). A black or overexposed picture says nothing about
/// focus, motion or the view, so it suppresses the other flags and is never learned as the reference.
/// </summary>
public sealed class QualityAnalyzer(QualityOptions options)
{
    // Coarse grids: 32×18 block means for view similarity, 8×6 blocks for texture (occlusion).
    private const int ViewColumns = 32, ViewRows = 18, TextureColumns = 8, TextureRows = 6;

    /// <summary>A reference block with less contrast than this is flat already (sky, wall) and cannot show an occlusion.</summary>
    private const double TexturedBlockMin = 6;

    /// <summary>Share of a new frame blended into the reference per frame while the view is unchanged (follows slow light changes).</summary>
    private const double ReferenceFollowRate = 0.02;

    private GrayImage? _previous;
    private DateTimeOffset _unchangedSince;
    private double[]? _referenceView;
    private double[]? _referenceTexture;
    private int _differingFrames;
    private DateTimeOffset _sceneChangedUntil = DateTimeOffset.MinValue;

    public QualityOptions Options { get; } = options;

    public QualityReport Analyze(GrayImage image, DateTimeOffset at)
    {
        if (_previous is not null && (_previous.Width != image.Width || _previous.Height != image.Height)) Reset();

        var (brightness, contrast) = ImageStats.MeanStdDev(image);
        var sharpness = ImageStats.LaplacianVariance(image);
        var black = brightness <= Options.BlackBrightnessMax && contrast <= Options.UniformContrastMax;
        var overexposed = brightness >= Options.OverexposedBrightnessMin;
        var usable = !black && !overexposed;

        double? change = _previous is null ? null : ImageStats.MeanAbsoluteDifference(_previous, image);
        if (change is null || change > Options.FrozenChangeMax) _unchangedSince = at;
        var frozenFor = at - _unchangedSince;
        _previous = image;

        double? similarity = null, occluded = null;
        var occludedNow = false;
        var view = ImageStats.BlockMeans(image, ViewColumns, ViewRows);
        var texture = ImageStats.BlockContrast(image, TextureColumns, TextureRows);
        if (usable)
        {
            if (_referenceView is null || _referenceTexture is null)
            {
                Learn(view, texture);
            }
            else
            {
                similarity = ImageStats.NormalisedCrossCorrelation(view, _referenceView);
                occluded = OccludedFraction(texture, _referenceTexture);
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
                        Learn(view, texture);   // the new view is the reference from now on
                    }
                }
                else
                {
                    _differingFrames = 0;
                    Follow(view, texture);
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
        _previous = null;
        _referenceView = null;
        _referenceTexture = null;
        _differingFrames = 0;
        _sceneChangedUntil = DateTimeOffset.MinValue;
    }

    private double? OccludedFraction(double[] texture, double[] reference)
    {
        int textured = 0, lost = 0;
        for (var i = 0; i < reference.Length; i++)
        {
            if (reference[i] < TexturedBlockMin) continue;
            textured++;
            if (texture[i] < Options.OcclusionTextureRatio * reference[i]) lost++;
        }
        return textured == 0 ? null : (double)lost / textured;
    }

    private void Learn(double[] view, double[] texture)
    {
        _referenceView = view;
        _referenceTexture = texture;
    }

    private void Follow(double[] view, double[] texture)
    {
        for (var i = 0; i < view.Length; i++) _referenceView![i] += ReferenceFollowRate * (view[i] - _referenceView[i]);
        for (var i = 0; i < texture.Length; i++) _referenceTexture![i] += ReferenceFollowRate * (texture[i] - _referenceTexture[i]);
    }

    private static double Round(double v) => Math.Round(v, 3);
}
