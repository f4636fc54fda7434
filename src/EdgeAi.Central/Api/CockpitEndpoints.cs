using EdgeAi.Central.Cases;
using EdgeAi.Central.Configuration;
using EdgeAi.Central.Devices;
using EdgeAi.Central.Storage;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace EdgeAi.Central.Api;

/// <summary>
/// <c>GET /api/v1/cockpit</c>: what the operator cockpit (一屏统览) draws, filtered by scenario, grid, case state and time:
/// indicators with their normal / yellow / red level, incidents per scenario and day, per-grid counts, closure rate and
/// mean time to close, the review queue, and the map's cameras and incidents (the grids come from <c>/api/v1/grids</c>).
/// </summary>
internal static class CockpitEndpoints
{
    public const int MapLimit = 2000;

    public static IEndpointRouteBuilder MapCockpitApi(this IEndpointRouteBuilder app)
    {
        app.MapGet("/api/v1/cockpit", async (CentralStore store, DashboardViews views, CentralOptions options, string? scenario, string? grid, string? state, double? since_hours, CancellationToken ct) =>
        {
            var since = since_hours is > 0 ? DateTimeOffset.UtcNow.AddHours(-since_hours.Value).ToUnixTimeMilliseconds() : 0;
            var filter = new CentralStore.CockpitFilter(scenario ?? "", grid ?? "", state ?? "", since);
            var figures = await store.CockpitAsync(filter, ct);
            var cameras = await views.CamerasAsync(ct);
            var located = (await store.ListCamerasAsync(ct)).ToDictionary(c => (c.DeviceId, c.CameraId));
            var unhealthy = cameras.Count(t => t.Health == DashboardTiles.Unhealthy);
            var fpRate = figures.Reviewed == 0 ? 0 : (double)figures.Dismissed / figures.Reviewed;
            var th = options.Cockpit;
            object Indicator(string name, double value) => new
            {
                name, value, level = th.Level(name, value),
                yellow = th.Thresholds.GetValueOrDefault(name)?.Yellow, red = th.Thresholds.GetValueOrDefault(name)?.Red,
            };
            var queue = await store.ListCasesInStatesAsync([CaseState.Held], 200, ct);
            var incidents = await store.CockpitIncidentsAsync(filter, MapLimit, ct);
            return Results.Ok(new
            {
                indicators = new[]
                {
                    Indicator("open_incidents", figures.OpenIncidents), Indicator("overdue_cases", figures.OverdueCases),
                    Indicator("unhealthy_cameras", unhealthy), Indicator("false_positive_rate", Math.Round(fpRate, 3)),
                },
                closure_rate = figures.Cases == 0 ? 0 : Math.Round((double)figures.Closed / figures.Cases, 3),
                mean_time_to_close_s = figures.MeanCloseMs is { } ms ? Math.Round(ms / 1000, 1) : (double?)null,
                per_scenario_day = figures.PerScenarioDay.Select(d => new { d.Scenario, day = DateTimeOffset.FromUnixTimeMilliseconds(d.Day * 86_400_000).ToString("yyyy-MM-dd"), d.Count }),
                per_grid = figures.PerGrid.Select(g => new { grid_code = g.Grid, g.Total, g.Open, g.Closed, g.Overdue }),
                review_queue = queue.OrderBy(c => c.CreatedAt).Select(ApiFormat.Case),
                cameras = cameras.Select(t => new
                {
                    device_id = t.DeviceId, camera_id = t.CameraId, t.Name, t.Health,
                    lat = located.TryGetValue((t.DeviceId, t.CameraId), out var l) ? l.Lat : (double?)null,
                    lon = located.TryGetValue((t.DeviceId, t.CameraId), out var m) ? m.Lon : (double?)null,
                }),
                incidents = incidents.Select(i => new
                {
                    incident_id = i.IncidentId, i.Scenario, i.State, i.Lat, i.Lon, grid_code = i.GridCode, last_seen = ApiFormat.Time(i.LastSeen),
                    case_id = i.CaseId, case_state = i.CaseState, escalated = i.EscalatedAt is not null, i.Department,
                }),
                map_limit = MapLimit,
            });
        }).RequireAuthorization().WithTags("case loop").WithSummary("The operator cockpit's figures, review queue and map layers.");
        return app;
    }
}
