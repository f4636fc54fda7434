namespace EdgeAi.Central.Cases;

/// <summary>What a reported status did to a case.</summary>
internal enum StatusOutcome
{
    Applied,

    /// <summary>The case was already in that state.</summary>
    Unchanged,

    /// <summary>Not allowed from the case's state (late or out-of-order report); noted in the timeline.</summary>
    Ignored,

    NotFound,

    /// <summary>Not a state a platform may report.</summary>
    Invalid,
}
