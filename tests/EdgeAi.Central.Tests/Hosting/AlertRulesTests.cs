using System.Text;
using System.Text.RegularExpressions;
using EdgeAi.Central.Diagnostics;
using EdgeAi.Testing;
using YamlDotNet.RepresentationModel;

namespace EdgeAi.Central.Tests.Hosting;

/// <summary>The shipped alert rules file (config/prometheus/edgeai-alerts.yml): valid YAML of Prometheus' rule shape, naming only metrics Central exports.</summary>
public sealed partial class AlertRulesTests
{
    [Fact]
    public async Task AlertRules_ParseAsPrometheusRuleGroups_EveryMetricExported()
    {
        var yaml = new YamlStream();
        using (var reader = new StreamReader(TestPaths.InRepo("config", "prometheus", "edgeai-alerts.yml"))) yaml.Load(reader);
        var root = (YamlMappingNode)yaml.Documents.Single().RootNode;
        var groups = (YamlSequenceNode)root["groups"];

        // What /metrics serves, with one series in every labelled family (a family without series is not written).
        var metrics = new CentralMetrics { CameraFaults = () => [("edge-01", "cam-1", "offline")] };
        metrics.Reviewed(EdgeAi.Central.Storage.ReviewOutcome.Dismissed, "false_detection");
        metrics.Escalated("overdue");
        metrics.DeadLettered("schema");
        using var scrape = new MemoryStream();
        await metrics.Registry.CollectAndExportAsTextAsync(scrape);
        var exported = TypeLine().Matches(Encoding.UTF8.GetString(scrape.ToArray())).Select(m => m.Groups[1].Value).ToHashSet(StringComparer.Ordinal);

        var alerts = new List<string>();
        foreach (var group in groups.Cast<YamlMappingNode>())
        {
            Assert.False(string.IsNullOrWhiteSpace(((YamlScalarNode)group["name"]).Value));
            foreach (var rule in ((YamlSequenceNode)group["rules"]).Cast<YamlMappingNode>())
            {
                var keys = rule.Children.Keys.Cast<YamlScalarNode>().Select(k => k.Value!).ToHashSet();
                Assert.Subset(new HashSet<string> { "alert", "expr", "for", "labels", "annotations" }, keys);
                var alert = ((YamlScalarNode)rule["alert"]).Value!;
                Assert.Matches("^[A-Za-z_][A-Za-z0-9_]*$", alert);
                alerts.Add(alert);
                var expr = ((YamlScalarNode)rule["expr"]).Value!;
                if (keys.Contains("for")) Assert.Matches("^[0-9]+[smh]$", ((YamlScalarNode)rule["for"]).Value!);
                Assert.Equal(expr.Count(c => c == '('), expr.Count(c => c == ')'));
                var names = MetricName().Matches(expr).Select(m => m.Value).ToList();
                Assert.NotEmpty(names);
                foreach (var name in names) Assert.True(exported.Contains(name), $"{alert}: {name} is not a metric of Central (exported: {string.Join(", ", exported.Order())})");
            }
        }
        Assert.Contains("EdgeAiCameraFault", alerts);
        Assert.Equal(alerts.Count, alerts.Distinct().Count());
    }

    [GeneratedRegex(@"^# TYPE (\S+)", RegexOptions.Multiline)]
    private static partial Regex TypeLine();

    [GeneratedRegex("edgeai_[a-z_]+")]
    private static partial Regex MetricName();
}
