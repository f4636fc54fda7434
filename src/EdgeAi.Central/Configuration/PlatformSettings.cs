using EdgeAi.Models.Events;

namespace EdgeAi.Central.Configuration;

/// <summary>
/// The governance platform (key <c>platform</c>). Secrets: EDGEAI_CENTRAL_PLATFORM_SECRET signs outgoing webhooks,
/// EDGEAI_CENTRAL_CALLBACK_SECRET verifies status callbacks (defaults to the platform secret),
/// EDGEAI_CENTRAL_OPEN311_API_KEY is sent as Open311 api_key.
/// </summary>
internal sealed record PlatformSettings
{
    public PlatformKind Kind { get; init; } = PlatformKind.Webhook;

    /// <summary>Base URL, e.g. https://platform.example/api (webhook: POST {Url}/cases; Open311: POST {Url}/requests.json).</summary>
    public required Uri Url { get; init; }

    public string? Secret { get; init; }

    public string? CallbackSecret { get; init; }

    public string? Open311ApiKey { get; init; }

    /// <summary>Per-request timeout. Default 10 s.</summary>
    public TimeSpan RequestTimeout { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>Status polling interval; zero (default) relies on callbacks only.</summary>
    public TimeSpan PollInterval { get; init; } = TimeSpan.Zero;

    /// <summary>How often the outbox is checked when nothing woke it. Default 1 s.</summary>
    public TimeSpan OutboxPollInterval { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>Status callbacks whose timestamp is further than this from now are refused (replay). Default 5 min.</summary>
    public TimeSpan CallbackMaxSkew { get; init; } = TimeSpan.FromMinutes(5);

    public RetrySettings Retry { get; init; } = new();

    public IReadOnlyDictionary<string, PlatformCategory> Categories { get; init; } = DefaultCategories;

    /// <summary>GB/T 30428 event classes; fishing and crowding use 街面秩序 with extension subclasses.</summary>
    public static IReadOnlyDictionary<string, PlatformCategory> DefaultCategories { get; } = new Dictionary<string, PlatformCategory>
    {
        [Scenarios.Litter] = new("市容环境", "暴露垃圾", "0101"),
        [Scenarios.RoadCollapse] = new("突发事件", "路面塌陷", "0501"),
        [Scenarios.IllegalFishing] = new("街面秩序", "非法捕捞垂钓", "0290"),
        [Scenarios.Crowding] = new("街面秩序", "人员聚集", "0291"),
    };

    public PlatformCategory CategoryFor(string scenario) =>
        Categories.TryGetValue(scenario, out var c) ? c : new PlatformCategory("其他", scenario, "9999");
}
