namespace EdgeAi.Central.TestPlatform;

/// <summary>Settings of the stand-in governance platform (tests and demo only; a real platform is an external system).</summary>
internal sealed record TestPlatformOptions
{
    public string Listen { get; init; } = "http://127.0.0.1:9000";

    /// <summary>Verifies Central's request signatures when set (EDGEAI_CENTRAL_PLATFORM_SECRET).</summary>
    public string? Secret { get; init; }

    /// <summary>Central's callback URL; null: no callbacks.</summary>
    public Uri? CallbackUrl { get; init; }

    /// <summary>Signs callbacks (EDGEAI_CENTRAL_CALLBACK_SECRET, else <see cref="Secret"/>).</summary>
    public string? CallbackSecret { get; init; }

    /// <summary>When set, cases move filed → accepted → dispatched → resolved, one step per interval (demo).</summary>
    public TimeSpan? AutoProgress { get; init; }

    /// <summary>Close a case when Central reports it verified; re-dispatch it when reported reopened. Default true.</summary>
    public bool FollowVerification { get; init; } = true;

    /// <summary>
    /// Open311 answers with a <c>token</c> instead of the service request id (asynchronous creation); <c>GET
    /// /tokens/{token}.json</c> gives the id from the <see cref="TokenLookupsBeforeId"/>+1-th lookup on. Default false.
    /// </summary>
    public bool Open311Async { get; init; }

    /// <summary>Token lookups answered with no id yet (the request is still being created). Default 1.</summary>
    public int TokenLookupsBeforeId { get; init; } = 1;
}
