using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using GeoDns.Sidecar.Firewall;
using GeoDns.Sidecar.Reports;

namespace GeoDns.Sidecar.Daemon;

/// <summary>
/// <c>status</c>, <c>rotate</c> and <c>certificates</c> while <c>run</c> holds the state file: they ask the running
/// daemon through its endpoint instead, so there is still only one writer of the journal.
/// </summary>
public static class DaemonClient
{
    /// <summary>Prints the daemon's answer; null when no daemon answers (the caller reports why the state could not be opened).</summary>
    public static Task<int?> ForwardAsync(SidecarOptions options, IReadOnlyList<string> words, TextWriter output, CancellationToken cancel) =>
        ForwardAsync(options, words, output, output, null, json: false, cancel);

    /// <summary>
    /// As above; <paramref name="notes"/> gets the line that says the daemon answered (stderr for <c>--json</c>), and
    /// <c>status --json</c> prints the daemon's <see cref="StatusReport"/> with <paramref name="firewall"/> and
    /// <paramref name="emergency"/> as asked here.
    /// </summary>
    public static async Task<int?> ForwardAsync(SidecarOptions options, IReadOnlyList<string> words, TextWriter output, TextWriter notes, FirewallState? firewall, bool json,
        CancellationToken cancel, IReadOnlyList<EmergencyReport>? emergency = null)
    {
        var token = options.TokenValue();
        if (!token.Ok || !IPEndPoint.TryParse(options.Listen, out var endpoint)) return null;
        using var http = new HttpClient { BaseAddress = new Uri($"http://{endpoint}/"), Timeout = TimeSpan.FromSeconds(10) };
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token.Value);
        try
        {
            using var response = words[0] switch
            {
                "rotate" => await http.PostAsync($"v1/rotate/{Uri.EscapeDataString(words[1])}", null, cancel),
                "certificates" => await http.PostAsync("v1/certificates", null, cancel),
                _ when json => await http.GetAsync("v1/status", cancel),
                _ => await http.GetAsync("v1/rotations", cancel),
            };
            var body = await response.Content.ReadAsStringAsync(cancel);
            notes.WriteLine($"(asked the running daemon at {endpoint})");
            if (!response.IsSuccessStatusCode)
            {
                notes.WriteLine(Error(body) ?? $"{(int)response.StatusCode} {response.ReasonPhrase}");
                return 1;
            }
            // rotate: the endpoint answers the rotation as `rotate EDGE --json` prints it.
            if (words[0] == "rotate" && JsonSerializer.Deserialize<RotationReport>(body, ReportJson.Options) is { } rotation)
            {
                if (json) ReportJson.Write(output, rotation);
                else output.WriteLine($"#{rotation.Id} {rotation.OldEdge} -> {rotation.NewEdge}: {rotation.Status} at {rotation.Step}{(rotation.Reason is { } why ? $": {why}" : "")}");
                return rotation.Status == Rotation.RotationStatus.Failed ? 1 : 0;
            }
            if (json && JsonSerializer.Deserialize<StatusReport>(body, ReportJson.Options) is { } report)
            {
                ReportJson.Write(output, report with { Firewall = firewall, Emergency = emergency });
                return report.ExitCode;
            }
            using var document = JsonDocument.Parse(body);
            if (words[0] == "certificates")
            {
                var pushed = document.RootElement.EnumerateArray().ToList();
                foreach (var p in pushed) output.WriteLine($"{p.GetProperty("edge").GetString(),-16} {p.GetProperty("error").GetString() ?? "installed"}");
                return pushed.All(p => p.GetProperty("error").ValueKind == JsonValueKind.Null) ? 0 : 1;
            }
            var rotations = document.RootElement.ValueKind == JsonValueKind.Array ? document.RootElement.EnumerateArray().ToList() : [document.RootElement];
            foreach (var r in rotations)
                output.WriteLine($"#{r.GetProperty("id")} {r.GetProperty("oldEdge")} -> {r.GetProperty("newEdge")}: {r.GetProperty("status")} at {r.GetProperty("step")}"
                    + (r.GetProperty("error").GetString() is { } error ? $": {error}" : ""));
            return rotations.Any(r => r.GetProperty("status").GetString() == "Failed") ? 1 : 0;
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException or JsonException or KeyNotFoundException)
        {
            return null;
        }
    }

    private static string? Error(string body)
    {
        try
        {
            return JsonDocument.Parse(body).RootElement.GetProperty("error").GetString();
        }
        catch (Exception e) when (e is JsonException or KeyNotFoundException or InvalidOperationException)
        {
            return null;
        }
    }
}
