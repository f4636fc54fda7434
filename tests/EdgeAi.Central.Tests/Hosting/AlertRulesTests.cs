using System.Diagnostics.Metrics;
using System.Text.RegularExpressions;
using EdgeAi.Central.Diagnostics;
using EdgeAi.Testing;
using YamlDotNet.RepresentationModel;

namespace EdgeAi.Central.Tests.Hosting;

/// <summary>The shipped alert rules file (config/prometheus/edgeai-alerts.yml): valid YAML of Prometheus' rule shape, naming only metrics Central exports.</summary>
public sealed partial class AlertRulesTests
{
    [Fact]
    public void AlertRules_ParseAsPrometheusRuleGroups_EveryMetricExported()
    {
        var yaml = new YamlStream();
        using (var reader = new StreamReader(TestPaths.InRepo("config", "prometheus", "edgeai-alerts.yml"))) yaml.Load(reader);
        var root = (YamlMappingNode)yaml.Documents.Single().RootNode;
        var groups = (YamlSequenceNode)root["groups"];

        var exported = new HashSet<string>(StringComparer.Ordinal);
        using (var metrics = new CentralMetrics())
        using (var listener = new MeterListener())
        {
            listener.InstrumentPublished = (i, _) => { if (i.Meter.Name == CentralMetrics.MeterName) exported.Add(i.Name); };
            listener.Start();
        }

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

    [GeneratedRegex("edgeai_[a-z_]+")]
    private static partial Regex MetricName();
}
