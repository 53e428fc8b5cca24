using System.Text.Json.Serialization;

namespace GeoDns.Server.Admin;

/// <summary>
/// <c>GET /healthz</c>. <see cref="Status"/> is "ready" (200), or "starting" or "degraded" (503, with <see cref="Error"/>).
/// The members that do not apply to a status are left out of the reply, not sent as null.
/// </summary>
public sealed record HealthView(string Status, string Version)
{
    /// <summary>Why the server is not ready: the problems joined, as every error reply has it.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? Error { get; init; }

    /// <summary>While degraded: each zone or pool not loaded.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public IReadOnlyList<string>? Problems { get; init; }

    /// <summary>While ready: the zones served.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public int? Zones { get; init; }

    /// <summary>While ready: the pools configured.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public int? Pools { get; init; }

    /// <summary>What is served but worth a look: a lost state file, an isolated nameserver, a failed zone reload.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public IReadOnlyList<string>? Warnings { get; init; }

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public AdminListenerView? Admin { get; init; }

    /// <summary>When the home last reached this nameserver; left out when no admin token is set (nothing could show it).</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public HomeView? Home { get; init; }
}
