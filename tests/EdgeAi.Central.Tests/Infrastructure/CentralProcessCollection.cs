namespace EdgeAi.Central.Tests.Infrastructure;

/// <summary>
/// Test classes that run Central (or the test platform) as child processes run one at a time: each checks at the end that
/// no such process is left, which only means something when no other class is starting them meanwhile (and the
/// 2-core CI machine is spared several Central processes at once).
/// </summary>
[CollectionDefinition(Name)]
public sealed class CentralProcessCollection
{
    public const string Name = "Central child processes";
}
