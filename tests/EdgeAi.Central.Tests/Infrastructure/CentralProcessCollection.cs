namespace EdgeAi.Central.Tests.Infrastructure;

/// <summary>Test classes that run edgeai-central child processes: run one at a time, because some assert that none is left running.</summary>
[CollectionDefinition(Name)]
public sealed class CentralProcessCollection
{
    public const string Name = "edgeai-central processes";
}
