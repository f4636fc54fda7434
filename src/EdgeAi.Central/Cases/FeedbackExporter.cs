using System.Text.Json;
using EdgeAi.Central.Storage;
using EdgeAi.Models.Events;

namespace EdgeAi.Central.Cases;

/// <summary>
/// <c>edgeai-central export-feedback</c>: the operators' review decisions as a dataset for retraining. For every reviewed
/// case (confirmed: the detections were right; dismissed: wrong, with the reason) each stored evidence image of its
/// incident is written to <c>images/</c> and one JSON line per image to <c>feedback.jsonl</c> with the detections'
/// labels and normalised boxes from the event that carried it. Images already exported are not written again, so the
/// export can run repeatedly into one folder (with <c>--since</c> to take only newer reviews).
/// </summary>
internal sealed class FeedbackExporter(CentralStore store)
{
    private static readonly JsonSerializerOptions Json = new() { PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower };

    public async Task<FeedbackSummary> ExportAsync(string outDir, DateTimeOffset? since, CancellationToken ct)
    {
        var images = Path.Combine(outDir, "images");
        Directory.CreateDirectory(images);
        var (cases, written, confirmed, dismissed, missing) = (0, 0, 0, 0, 0);
        await using var lines = new StreamWriter(Path.Combine(outDir, "feedback.jsonl"), append: true);
        var after = since is { } s ? UnixMs.From(s) : -1L;
        {
            var batch = await store.ListReviewedAsync(after, int.MaxValue, ct).ConfigureAwait(false);
            foreach (var c in batch)
            {
                cases++;
                if (c.ReviewOutcome == ReviewOutcome.Dismissed) dismissed++; else confirmed++;
                foreach (var e in await store.ListEventsAsync(c.IncidentId, null, 1000, ct).ConfigureAwait(false))
                {
                    var ev = JsonSerializer.Deserialize(e.Payload, EdgeAiJsonContext.Default.EdgeEvent);
                    if (ev is null) continue;
                    foreach (var r in ev.Evidence)
                    {
                        var blob = await store.GetEvidenceAsync(r.Id, ct).ConfigureAwait(false);
                        if (blob is null)
                        {
                            missing++;   // pruned by retention, or never arrived
                            continue;
                        }
                        var file = $"images/{r.Id}{(r.ContentType == "image/png" ? ".png" : ".jpg")}";
                        var path = Path.Combine(outDir, file);
                        if (File.Exists(path)) continue;
                        await File.WriteAllBytesAsync(path, blob.Data, ct).ConfigureAwait(false);
                        written++;
                        await lines.WriteLineAsync(JsonSerializer.Serialize(new FeedbackLine(
                            file, c.ReviewOutcome!.Value, c.ReviewReason, c.ReviewNote, c.Scenario, c.CategorySubclass, c.Model, c.Rule,
                            ev.DeviceId, ev.Camera.Id, c.CaseId, ev.EventId.ToString(), r.Kind, ev.Frame.Width, ev.Frame.Height,
                            ev.Objects.Select(o => new FeedbackObject(o.Class, o.Confidence, o.Box)).ToList(), UnixMs.ToTime(c.ReviewedAt!.Value)), Json).AsMemory(), ct).ConfigureAwait(false);
                    }
                }
            }
        }
        return new FeedbackSummary(cases, confirmed, dismissed, written, missing);
    }
}

/// <summary>One exported image: the review decision and the detections on it (label, score, normalised box x1,y1,x2,y2).</summary>
internal sealed record FeedbackLine(
    string Image, ReviewOutcome Outcome, string? Reason, string? Note, string Scenario, string Category, string? Model, string? Rule,
    string DeviceId, string CameraId, string CaseId, string EventId, string Kind, int Width, int Height, IReadOnlyList<FeedbackObject> Objects, DateTimeOffset ReviewedAt);

internal sealed record FeedbackObject(string Label, double Score, IReadOnlyList<double> Box);

internal sealed record FeedbackSummary(int Cases, int Confirmed, int Dismissed, int Images, int Missing);
