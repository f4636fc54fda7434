using EdgeAi.Central.Hosting;
using NetArchTest.Rules;

namespace EdgeAi.Central.Tests.Architecture;

/// <summary>
/// Central's folders depend in one direction: Hosting and Api on everything; then the features in the order a message
/// travels, Consuming → Incidents (and Evidence, the blobs beside the events) → Cases → Platforms; then the shared parts below them (Broker, Devices, then Storage,
/// Diagnostics, Configuration, Grids). A later stage that must call back declares an interface (Cases'
/// <c>IIncidentReopener</c>) instead of naming the earlier one. Checked on the compiled assembly with NetArchTest.
/// </summary>
public sealed class FolderDirectionTests
{
    private const string Root = "EdgeAi.Central.";

    /// <summary>Top to bottom; a folder may use the folders after it, never those before it.</summary>
    private static readonly string[][] Layers =
    [
        ["Hosting", "Api", "TestPlatform"],
        ["Consuming"],
        ["Incidents", "Evidence"],
        ["Cases"],
        ["Platforms"],
        ["Broker", "Devices"],
        ["Storage", "Diagnostics", "Configuration", "Grids"],
    ];

    public static TheoryData<string> Folders() => new(Layers.Skip(1).SelectMany(l => l));

    [Theory]
    [MemberData(nameof(Folders))]
    public void Folder_DoesNotDependOnTheFoldersAboveIt(string folder)
    {
        var layer = Array.FindIndex(Layers, l => l.Contains(folder));
        var above = Layers.Take(layer).SelectMany(l => l).Select(f => Root + f).ToArray();

        var result = Types.InAssembly(typeof(CentralApp).Assembly)
            .That().ResideInNamespace(Root + folder)
            .ShouldNot().HaveDependencyOnAny(above)
            .GetResult();

        Assert.True(result.IsSuccessful,
            $"{folder} must not use {string.Join(", ", above.Select(a => a[Root.Length..]))}; offending types: {string.Join(", ", result.FailingTypeNames ?? [])}");
    }

    [Fact]
    public void EveryFolder_HasALayer()
    {
        var known = Layers.SelectMany(l => l).Select(f => Root + f).ToHashSet();
        var namespaces = typeof(CentralApp).Assembly.GetTypes().Select(t => t.Namespace).OfType<string>()
            .Where(n => n.StartsWith(Root, StringComparison.Ordinal)).Select(n => string.Join('.', n.Split('.').Take(3))).Distinct();

        Assert.All(namespaces, n => Assert.True(known.Contains(n), $"{n} is not placed in a layer of this test"));
    }
}
