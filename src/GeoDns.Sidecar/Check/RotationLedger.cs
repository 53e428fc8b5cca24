using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using GeoDns.Sidecar.Rotation;
using GeoDns.Sidecar.State;

namespace GeoDns.Sidecar.Check;

/// <summary>
/// The rotations, for the budget line: from the state file when it is free, else from the running daemon's
/// <c>GET /v1/rotations</c> (the daemon holds the state file locked, and stays its only writer).
/// </summary>
public static class RotationLedger
{
    public static async Task<Outcome<IReadOnlyList<RotationRecord>>> ReadAsync(SidecarOptions options, TimeProvider time, TimeSpan timeout, CancellationToken cancel)
    {
        var path = Path.Combine(Path.GetFullPath(options.Data), StateFile.FileName);
        if (!File.Exists(path)) return Outcome<IReadOnlyList<RotationRecord>>.Success([]); // nothing rotated yet; opening would create it
        var opened = StateFile.Open(options.Data);
        if (opened.Ok)
        {
            using var state = opened.Value!;
            return Outcome<IReadOnlyList<RotationRecord>>.Success(new RotationJournal(state, time).All());
        }
        var fromDaemon = await FromDaemonAsync(options, timeout, cancel);
        return fromDaemon.Ok ? fromDaemon : Outcome<IReadOnlyList<RotationRecord>>.Failed($"{opened.Error}; and the daemon: {fromDaemon.Error}");
    }

    private static async Task<Outcome<IReadOnlyList<RotationRecord>>> FromDaemonAsync(SidecarOptions options, TimeSpan timeout, CancellationToken cancel)
    {
        var token = options.TokenValue();
        if (!token.Ok) return Outcome<IReadOnlyList<RotationRecord>>.Failed(token.Error!);
        if (!IPEndPoint.TryParse(options.Listen, out var endpoint)) return Outcome<IReadOnlyList<RotationRecord>>.Failed($"listen: '{options.Listen}' is not ADDR:PORT");
        using var http = new HttpClient { BaseAddress = new Uri($"http://{endpoint}/"), Timeout = timeout };
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token.Value);
        try
        {
            using var response = await http.GetAsync("v1/rotations", cancel);
            if (!response.IsSuccessStatusCode) return Outcome<IReadOnlyList<RotationRecord>>.Failed($"GET /v1/rotations at {endpoint}: {(int)response.StatusCode}");
            using var json = await JsonDocument.ParseAsync(await response.Content.ReadAsStreamAsync(cancel), cancellationToken: cancel);
            return Outcome<IReadOnlyList<RotationRecord>>.Success(json.RootElement.EnumerateArray().Select(r => new RotationRecord
            {
                Id = r.GetProperty("id").GetInt32(),
                OldEdge = r.GetProperty("oldEdge").GetString() ?? "",
                NewName = r.GetProperty("newEdge").GetString() ?? "",
                Step = Enum.Parse<RotationStep>(r.GetProperty("step").GetString()!),
                Status = Enum.Parse<RotationStatus>(r.GetProperty("status").GetString()!),
                Error = r.GetProperty("error").GetString(),
                Started = r.GetProperty("started").GetDateTimeOffset(),
            }).ToList());
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException or JsonException or KeyNotFoundException or InvalidOperationException or ArgumentException)
        {
            return Outcome<IReadOnlyList<RotationRecord>>.Failed($"no answer at {endpoint} ({e.Message})");
        }
    }
}
