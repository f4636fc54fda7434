namespace EdgeAi.Central.Configuration;

/// <summary>Review policies (<c>review.*</c>) and dismissal reasons.</summary>
internal static class ReviewPolicies
{
    /// <summary>File on the platform at once.</summary>
    public const string File = "file";

    /// <summary>Wait for an operator (or the review timeout).</summary>
    public const string Hold = "hold";

    /// <summary>Keep the incident and its case, never file it unless an operator confirms it.</summary>
    public const string Record = "record";

    /// <summary>Only as a timeout action: dismiss the held case.</summary>
    public const string Dismiss = "dismiss";

    public static IReadOnlyList<string> Policies { get; } = [File, Hold, Record];

    public static IReadOnlyList<string> DismissReasons { get; } = ["false_detection", "duplicate", "not_in_scope", "other"];
}
