using EdgeAi.Models.Devices;

namespace EdgeAi.Worker.Publishing;

/// <summary>Carries out a command from Central (e.g. verify a zone); supplied by the pipeline. May throw: the reply is then "error".</summary>
internal delegate Task<CommandOutcome> DeviceCommandHandler(DeviceCommand command, CancellationToken ct);
