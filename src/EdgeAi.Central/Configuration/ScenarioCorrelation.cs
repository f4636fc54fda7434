namespace EdgeAi.Central.Configuration;

/// <summary>How events of one scenario are grouped into incidents (key <c>correlation.scenarios.NAME</c>).</summary>
/// <param name="Window">W: an event joins an open incident only if detected within W of its last event.</param>
/// <param name="MinIou">t: same camera, different episode: boxes must overlap at least this much (0..1).</param>
/// <param name="RadiusMetres">R: another camera joins when it is within R metres of one of the incident's cameras.</param>
/// <param name="Cooldown">After closure, detections at the same place within this time are attached to the closed incident; later ones open a new one.</param>
/// <param name="IdleClose">An open incident without events for this long is closed.</param>
internal sealed record ScenarioCorrelation(TimeSpan Window, double MinIou, double RadiusMetres, TimeSpan Cooldown, TimeSpan IdleClose);
