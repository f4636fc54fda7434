using EdgeAi.Configuration;

namespace EdgeAi.Worker.Configuration;

/// <summary>
/// Secrets from the environment, so they stay out of the config file (and out of git, logs and /api/health).
/// Each NAME may instead be given as NAME_FILE, the path of a file holding it (systemd LoadCredential=, Docker
/// secrets; <see cref="EdgeAi.Configuration.SecretFiles"/>); NAME wins when both are set. Values are applied after validation and never logged: the only logged
/// form of a camera URL is <see cref="CameraConfig.SafeUrl"/>.
/// </summary>
public static class WorkerSecrets
{
    /// <summary>MQTT password; overrides mqtt.password and mqtt.password_file.</summary>
    public const string MqttPassword = "EDGEAI_MQTT_PASSWORD";

    /// <summary>RTSP user name and password for every camera whose own variables are not set.</summary>
    public const string RtspUsername = "EDGEAI_RTSP_USERNAME";
    public const string RtspPassword = "EDGEAI_RTSP_PASSWORD";

    /// <summary>Per camera: EDGEAI_RTSP_USERNAME_&lt;ID&gt; / EDGEAI_RTSP_PASSWORD_&lt;ID&gt;, ID upper-cased with every non-alphanumeric as '_' (cam-01 → CAM_01).</summary>
    public static string ForCamera(string name, string cameraId) =>
        $"{name}_{string.Concat(cameraId.Select(c => char.IsAsciiLetterOrDigit(c) ? char.ToUpperInvariant(c) : '_'))}";

    /// <summary>The camera URL with the user name/password from the environment put in (URL-escaped), when any is set.</summary>
    public static string CameraUrl(CameraConfig camera, Func<string, string?> env)
    {
        var user = env(ForCamera(RtspUsername, camera.Id)) ?? env(RtspUsername);
        var password = env(ForCamera(RtspPassword, camera.Id)) ?? env(RtspPassword);
        if (user is null && password is null) return camera.Url;
        if (!Uri.TryCreate(camera.Url, UriKind.Absolute, out var uri) || uri.Scheme is not ("rtsp" or "rtsps" or "http" or "https")) return camera.Url;
        var existing = uri.UserInfo.Split(':', 2);
        var u = user ?? Uri.UnescapeDataString(existing[0]);
        var b = new UriBuilder(uri) { UserName = Uri.EscapeDataString(u), Password = password is null ? "" : Uri.EscapeDataString(password) };
        if (password is null && existing.Length == 2) b.Password = existing[1];
        return b.Uri.AbsoluteUri;
    }
}
