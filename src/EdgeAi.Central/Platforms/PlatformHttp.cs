using System.Net;
using System.Net.Sockets;

namespace EdgeAi.Central.Platforms;

/// <summary>Sends one HTTP request with the per-request timeout and sorts failures into retryable and permanent.</summary>
internal static class PlatformHttp
{
    public static HttpClient CreateClient() => new(new SocketsHttpHandler
    {
        PooledConnectionLifetime = TimeSpan.FromMinutes(5),
        ConnectTimeout = TimeSpan.FromSeconds(10),
    })
    {
        Timeout = Timeout.InfiniteTimeSpan,   // per request, below
    };

    public static async Task<(HttpResponseMessage? Response, string? Body, PlatformResult? Failure)> SendAsync(
        HttpClient http, HttpRequestMessage request, TimeSpan timeout, CancellationToken ct)
    {
        using var cts = CancellationTokenSource.CreateLinkedTokenSource(ct);
        cts.CancelAfter(timeout);
        try
        {
            var response = await http.SendAsync(request, HttpCompletionOption.ResponseContentRead, cts.Token).ConfigureAwait(false);
            var body = await response.Content.ReadAsStringAsync(cts.Token).ConfigureAwait(false);
            if (response.IsSuccessStatusCode) return (response, body, null);
            var error = $"{request.Method} {request.RequestUri?.AbsolutePath}: HTTP {(int)response.StatusCode} {Clip(body)}";
            var retryable = IsRetryable(response.StatusCode);
            response.Dispose();
            return (null, null, retryable ? PlatformResult.Transient(error) : PlatformResult.Permanent(error));
        }
        catch (OperationCanceledException) when (!ct.IsCancellationRequested)
        {
            return (null, null, PlatformResult.Transient($"{request.Method} {request.RequestUri?.AbsolutePath}: no answer within {timeout.TotalSeconds:0.#} s"));
        }
        catch (HttpRequestException ex)
        {
            return (null, null, PlatformResult.Transient($"{request.Method} {request.RequestUri?.AbsolutePath}: {ex.Message}"));
        }
        catch (IOException ex)
        {
            return (null, null, PlatformResult.Transient($"{request.Method} {request.RequestUri?.AbsolutePath}: {ex.Message}"));
        }
        catch (SocketException ex)
        {
            return (null, null, PlatformResult.Transient($"{request.Method} {request.RequestUri?.AbsolutePath}: {ex.Message}"));
        }
    }

    /// <summary>5xx, 408, 425 and 429 may succeed later; other 4xx will not.</summary>
    public static bool IsRetryable(HttpStatusCode code) =>
        (int)code >= 500 || code is HttpStatusCode.RequestTimeout or HttpStatusCode.TooManyRequests or (HttpStatusCode)425;

    private static string Clip(string s) => s.Length <= 200 ? s : s[..200] + "…";

    public static Uri Combine(Uri baseUrl, string relative) =>
        new(baseUrl.ToString().TrimEnd('/') + "/" + relative.TrimStart('/'));
}
