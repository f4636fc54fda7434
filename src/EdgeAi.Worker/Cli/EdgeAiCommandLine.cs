using System.CommandLine;

namespace EdgeAi.Worker.Cli;

/// <summary>The <c>edgeai</c> command line: one sub-command per job a field engineer does on the box.</summary>
internal static class EdgeAiCommandLine
{
    public static RootCommand Build()
    {
        var root = new RootCommand("EdgeAi edge gateway: camera streams in, scenario events out over MQTT.");
        root.Subcommands.Add(VersionCommand.Create());
        root.Subcommands.Add(SimulateEventsCommand.Create());
        root.Subcommands.Add(ProbeCommand.Create());
        root.Subcommands.Add(RunCommand.Create());
        root.Subcommands.Add(EvalCommand.Create());
        root.Subcommands.Add(ConfigCommand.Create());
        root.Subcommands.Add(ModelsCommand.Create());
        root.Subcommands.Add(DetectCommand.Create());
        return root;
    }
}
