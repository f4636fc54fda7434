namespace EdgeAi.Worker.Configuration;

/// <summary>A camera's <c>hwaccel</c>: the decoder's hardware acceleration, passed to ffmpeg as <c>-hwaccel</c>.</summary>
public enum Hwaccel
{
    /// <summary><c>none</c> (default): decode on the CPU.</summary>
    None,

    /// <summary><c>cuda</c>: NVIDIA NVDEC.</summary>
    Cuda,

    /// <summary><c>vaapi</c>: Intel/AMD VA-API.</summary>
    Vaapi,
}
