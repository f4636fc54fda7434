using System.Text.RegularExpressions;
using EdgeAi.Configuration;
using EdgeAi.Testing;
using EdgeAi.Worker.Configuration;
using EdgeAi.Worker.Tests.Cli;

namespace EdgeAi.Worker.Tests.Configuration;

/// <summary>
/// The broken configs under tests/data/configs/broken/: each file ends with <c>// expect: LINE: key.path: reason</c>
/// comments, one per error it must produce — no more, no fewer. Through the loader for all of them and through the
/// real <c>edgeai config validate</c> and <c>edgeai run</c> processes for a few.
/// </summary>
public sealed partial class BrokenConfigTests
{
    private static string Dir => TestPaths.InRepo("tests", "data", "configs", "broken");

    public static TheoryData<string> Files() => new(Directory.GetFiles(Dir, "*.json").Select(Path.GetFileName).Order()!);

    private static IReadOnlyList<(int Line, string Path, string Reason)> Expected(string file) =>
        File.ReadAllLines(file).Select(l => ExpectLine().Match(l)).Where(m => m.Success)
            .Select(m => (int.Parse(m.Groups[1].Value), m.Groups[2].Value, m.Groups[3].Value)).ToList();

    [GeneratedRegex(@"^// expect: (\d+): (\S*): (.+)$")]
    private static partial Regex ExpectLine();

    private static void AssertMatches(string file, IReadOnlyList<string> errors)
    {
        var expected = Expected(file);
        Assert.NotEmpty(expected);
        foreach (var (line, path, reason) in expected)
            Assert.True(errors.Any(e => e.StartsWith($"{file}:{line}: {path}: ", StringComparison.Ordinal) && e.Contains(reason, StringComparison.Ordinal)),
                $"expected '{line}: {path}: {reason}' among:\n{string.Join('\n', errors)}");
        Assert.True(expected.Count == errors.Count, $"expected {expected.Count} errors, got {errors.Count}:\n{string.Join('\n', errors)}");
    }

    [Fact]
    public void BrokenSet_HasAtLeastTwentyFiles() => Assert.True(Files().Count >= 20, $"only {Files().Count} broken configs");

    [Theory]
    [MemberData(nameof(Files))]
    public void Load_BrokenConfig_RefusedWithEveryExpectedMessage(string name)
    {
        var file = Path.Combine(Dir, name);
        var ex = Assert.Throws<ConfigException>(() => WorkerConfigLoader.Load(file, _ => null));
        AssertMatches(file, ex.Errors);
    }

    [Fact]
    public void Load_UrlWithCredentials_ErrorDoesNotEchoThePassword()
    {
        var ex = Assert.Throws<ConfigException>(() => WorkerConfigLoader.Load(Path.Combine(Dir, "bad-url-scheme.json"), _ => null));
        Assert.DoesNotContain(ex.Errors, e => e.Contains("hunter2", StringComparison.Ordinal));
        Assert.Contains(ex.Errors, e => e.Contains("ftp://***@10.0.0.5/cam", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("unknown-key-typo.json")]
    [InlineData("polygon-out-of-range.json")]
    [InlineData("out-of-range-numbers.json")]
    public async Task ConfigValidate_Process_PrintsTheSameErrorsAndExits78(string name)
    {
        var file = Path.Combine(Dir, name);
        var (code, _, stderr) = await EdgeAiCli.RunAsync(["config", "validate", file]);

        Assert.Equal(78, code);
        var lines = stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal($"edgeai: {Expected(file).Count} config error(s)", lines[^1]);
        AssertMatches(file, lines[..^1]);
    }

    [Fact]
    public async Task Run_Process_BrokenConfig_RefusesToStartWithTheMessages()
    {
        var file = Path.Combine(Dir, "duplicate-camera-ids.json");
        var (code, _, stderr) = await EdgeAiCli.RunAsync(["run", "--config", file]);

        Assert.Equal(78, code);
        Assert.Contains($"{file}:7: cameras[1].id: duplicate camera id 'cam-1' (also cameras[0])", stderr);
        Assert.Contains("1 config error(s); not starting", stderr);
    }

    [Fact]
    public async Task ConfigValidate_Process_SampleConfig_IsValid()
    {
        var sample = TestPaths.InRepo("config", "edgeai.sample.json");
        var (code, stdout, stderr) = await EdgeAiCli.RunAsync(["config", "validate", sample]);

        Assert.True(code == 0, stderr);
        Assert.Contains("valid", stdout);
    }
}
