namespace EdgeAi.Worker.Inference;

/// <summary>
/// Where a source frame sits inside the model's input after it was fitted: an aspect-preserving scale padded centred
/// or at the right/bottom, or a plain stretch — computed exactly as ffmpeg's
/// <c>scale=W:H:force_original_aspect_ratio=decrease,pad=W:H:X:Y</c> does, so boxes can be mapped back to normalised
/// source coordinates.
/// </summary>
public readonly record struct LetterboxGeometry(int InputWidth, int InputHeight, int ContentWidth, int ContentHeight, int PadX, int PadY)
{
    public static LetterboxGeometry For(int sourceWidth, int sourceHeight, int inputWidth, int inputHeight, LetterboxMode mode = LetterboxMode.Center)
    {
        if (mode == LetterboxMode.Stretch) return Identity(inputWidth, inputHeight);
        // ffmpeg scale_eval: tmp_w = rescale(h, iw, ih), tmp_h = rescale(w, ih, iw), rounded to nearest; take the minima.
        var tmpW = (int)Math.Round((double)inputHeight * sourceWidth / sourceHeight, MidpointRounding.AwayFromZero);
        var tmpH = (int)Math.Round((double)inputWidth * sourceHeight / sourceWidth, MidpointRounding.AwayFromZero);
        var w = Math.Min(tmpW, inputWidth);
        var h = Math.Min(tmpH, inputHeight);
        return mode == LetterboxMode.TopLeft
            ? new(inputWidth, inputHeight, w, h, 0, 0)
            : new(inputWidth, inputHeight, w, h, (inputWidth - w) / 2, (inputHeight - h) / 2);
    }

    /// <summary>No letterbox: the input is the whole frame.</summary>
    public static LetterboxGeometry Identity(int width, int height) => new(width, height, width, height, 0, 0);

    /// <summary>Maps a box in model-input pixels to 0..1 of the source frame (clamped).</summary>
    public Detection.BoxF ToSource(float x1, float y1, float x2, float y2) => new Detection.BoxF(
        (x1 - PadX) / ContentWidth, (y1 - PadY) / ContentHeight,
        (x2 - PadX) / ContentWidth, (y2 - PadY) / ContentHeight).Clamp01();
}
