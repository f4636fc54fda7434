namespace EdgeAi.Configuration;

/// <summary>
/// Secrets come from the environment so they stay out of config files (and out of git, logs and health reports).
/// Each NAME may instead be given as NAME_FILE, the path of a file holding it (systemd LoadCredential=, Docker
/// secrets); NAME wins when both are set.
/// </summary>
public static class SecretFiles
{
    /// <summary>NAME, else the content of the file named by NAME_FILE (trailing newline removed), else null. An
    /// unreadable file is a <see cref="ConfigException"/> naming the variable, the path and the reason.</summary>
    public static Func<string, string?> WithFiles(Func<string, string?> env) => name =>
    {
        if (env(name) is { Length: > 0 } value) return value;
        if (env(name + "_FILE") is not { Length: > 0 } path) return null;
        try
        {
            return File.ReadAllText(path).TrimEnd('\r', '\n');
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new ConfigException([$"{name}_FILE: cannot read {path}: {ex.Message}"]);
        }
    };
}
