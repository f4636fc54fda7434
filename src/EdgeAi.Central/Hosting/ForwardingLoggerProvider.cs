using Microsoft.Extensions.Logging;

namespace EdgeAi.Central.Hosting;

/// <summary>Hands an existing <see cref="ILoggerFactory"/>'s loggers to another host's logging (no ownership).</summary>
internal sealed class ForwardingLoggerProvider(ILoggerFactory factory) : ILoggerProvider
{
    public ILogger CreateLogger(string categoryName) => factory.CreateLogger(categoryName);

    public void Dispose()
    {
    }
}
