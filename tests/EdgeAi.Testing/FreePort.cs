using System.Net;
using System.Net.Sockets;

namespace EdgeAi.Testing;

/// <summary>Free loopback TCP ports for servers started by tests.</summary>
/// <remarks>
/// Ports come from below the kernel's ephemeral range: a port the OS hands out for "port 0" is also what it hands to
/// outgoing connections, so between this check and the server's bind another test's client could take it (seen once
/// in CI: Kestrel "address already in use" on 39341). Below the range only servers bind, and the pick is random,
/// with each port handed out once per process.
/// </remarks>
public static class FreePort
{
    private static readonly HashSet<int> Handed = [];
    private static readonly (int Low, int High) Range = BelowEphemeral();

    public static int Get()
    {
        for (var attempt = 0; attempt < 500 && Range.High > Range.Low; attempt++)
        {
            var port = Random.Shared.Next(Range.Low, Range.High);
            lock (Handed)
            {
                if (!Handed.Add(port)) continue;
            }
            if (Bindable(port)) return port;
        }
        using var l = new TcpListener(IPAddress.Loopback, 0);
        l.Start();
        return ((IPEndPoint)l.LocalEndpoint).Port;
    }

    private static bool Bindable(int port)
    {
        try
        {
            using var l = new TcpListener(IPAddress.Loopback, port);
            l.Start();
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }

    /// <summary>[10000, first ephemeral port) from /proc/sys/net/ipv4/ip_local_port_range (Linux default 32768).</summary>
    private static (int Low, int High) BelowEphemeral()
    {
        var first = 32768;
        try
        {
            var fields = File.ReadAllText("/proc/sys/net/ipv4/ip_local_port_range").Split((char[])['\t', ' '], StringSplitOptions.RemoveEmptyEntries);
            first = int.Parse(fields[0], System.Globalization.CultureInfo.InvariantCulture);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or FormatException or IndexOutOfRangeException)
        {
        }
        return (10000, first);
    }

    /// <summary>Waits until something accepts TCP connections on the port.</summary>
    public static async Task WaitListeningAsync(int port, TimeSpan timeout, Func<string>? diagnostics = null)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (true)
        {
            try
            {
                using var c = new TcpClient();
                await c.ConnectAsync(IPAddress.Loopback, port);
                return;
            }
            catch (SocketException) when (DateTime.UtcNow < deadline)
            {
                await Task.Delay(50);
            }
            catch (SocketException ex)
            {
                throw new TimeoutException($"nothing listening on 127.0.0.1:{port} after {timeout.TotalSeconds} s. {diagnostics?.Invoke()}", ex);
            }
        }
    }
}
