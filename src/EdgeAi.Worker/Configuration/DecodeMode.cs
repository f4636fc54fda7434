namespace EdgeAi.Worker.Configuration;

/// <summary>A camera's <c>decode.mode</c> (snake_case in the file).</summary>
public enum DecodeMode
{
    /// <summary><c>keyframes</c> (default): ffmpeg decodes key frames only (-skip_frame nokey), about one analysed frame
    /// per GOP, ~20× cheaper than full decode.</summary>
    Keyframes,

    /// <summary><c>all</c>: full decode sampled to <see cref="DecodeOptions.Fps"/>.</summary>
    All,
}
