using System.CommandLine;
using EdgeAi.Worker.Configuration;

namespace EdgeAi.Worker.Cli;

/// <summary>
/// <c>edgeai config validate FILE</c>: checks a worker config file without starting anything — shape, values,
/// model manifests and files, each model's tensors against its manifest, rule classes against the camera's model labels — and prints every problem as <c>file:line: key: reason</c> on stderr.
/// Exit 0 when valid, 78 (EX_CONFIG) otherwise; the same messages <c>edgeai run</c> refuses to start with.
/// </summary>
internal static class ConfigCommand
{
    public static Command Create()
    {
        var file = new Argument<string>("file") { Description = "Worker config file (JSON)" };
        var validate = new Command("validate", "Check a worker config file and list every error with its line.") { file };
        validate.SetAction(parse => Validate(parse.GetValue(file)!));
        return new Command("config", "Work with the worker config file.") { validate };
    }

    private static int Validate(string path)
    {
        var errors = WorkerConfigLoader.Check(path, loadModels: true);
        if (errors.Count == 0)
        {
            Console.WriteLine($"{Path.GetFullPath(path)}: valid");
            return 0;
        }
        foreach (var e in errors) Console.Error.WriteLine(e);
        Console.Error.WriteLine($"edgeai: {errors.Count} config error(s)");
        return RunCommand.ExitConfig;
    }
}
