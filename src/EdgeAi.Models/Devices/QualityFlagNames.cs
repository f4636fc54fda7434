namespace EdgeAi.Models.Devices;

/// <summary>Values of <see cref="CameraHealth.QualityFlags"/>. A dashboard shows a camera with any of them as degraded.</summary>
public static class QualityFlagNames
{
    /// <summary>The picture is (nearly) black: lens capped, camera night mode failed, signal lost to black.</summary>
    public const string Black = "black";

    /// <summary>The picture is (nearly) white: sun in the lens, exposure control failed.</summary>
    public const string Overexposed = "overexposed";

    /// <summary>Little fine detail: out of focus, dirty or fogged lens.</summary>
    public const string Blurred = "blurred";

    /// <summary>The picture has not changed for a while: frozen encoder or a looped still image.</summary>
    public const string Frozen = "frozen";

    /// <summary>A large part of the usual view lost its texture: something covers the lens.</summary>
    public const string Occluded = "occluded";

    /// <summary>The view differs from the learned one for several frames: the camera was moved or turned.</summary>
    public const string SceneChanged = "scene_changed";
}
