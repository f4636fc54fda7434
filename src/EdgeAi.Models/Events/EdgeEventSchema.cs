namespace EdgeAi.Models.Events;

/// <summary>Version and limits of the event contract; both sides enforce them (<see cref="EdgeEventParser"/>, <see cref="EdgeEventValidator"/>).</summary>
public static class EdgeEventSchema
{
    /// <summary>The version this build writes. 1.1 added evidence width/height/start_time/end_time/blurred/delivery, the
    /// clip and after kinds, the unverifiable command result and the fetch_evidence command.</summary>
    public const string CurrentVersion = "1.1";

    /// <summary>The only major version this build reads; any other is rejected.</summary>
    public const int SupportedMajor = 1;

    /// <summary>Largest event payload accepted: 256 KiB of UTF-8 JSON.</summary>
    public const int MaxPayloadBytes = 256 * 1024;

    /// <summary>Deepest JSON nesting accepted (objects and arrays; the root object is level 1).</summary>
    public const int MaxDepth = 32;

    /// <summary>Ids (device, camera, zone, evidence): 1–64 characters of [A-Za-z0-9._-].</summary>
    public const int MaxIdLength = 64;

    /// <summary>Names and free text (camera, zone, model name): at most 128 characters.</summary>
    public const int MaxNameLength = 128;

    /// <summary>Short tokens (class, zone type, rule name, parameter names, model version, content type): at most 64 characters.</summary>
    public const int MaxTokenLength = 64;

    public const int MaxObjects = 256;

    public const int MaxEvidence = 16;

    public const int MaxRuleEntries = 32;

    /// <summary>Largest evidence blob an <see cref="EvidenceRef"/> may announce: 16 MiB.</summary>
    public const long MaxEvidenceBytes = 16L * 1024 * 1024;

    /// <summary>Largest frame side in pixels.</summary>
    public const int MaxFrameSide = 16384;
}
