using GeoDns.Alerts;
using GeoDns.Sidecar.Rotation;

namespace GeoDns.Sidecar.Daemon;

/// <summary>
/// <c>GET /v1/fleet</c>: the last <see cref="FleetSnapshot"/> and the recent alerts, as the fleet panel and any
/// script read them. It is an API: members are added, never renamed or dropped; a value not known is null, not
/// absent. Durations are whole seconds measured at <see cref="At"/> (the daemon's clock, not the reader's), beside
/// the instants they come from, so a reader with a wrong clock still shows "for 2 min" right.
/// </summary>
public sealed record FleetDocument(
    DateTimeOffset? At,
    double PollSeconds,
    string Pool,
    IReadOnlyList<FleetDocument.NameserverItem> Nameservers,
    IReadOnlyList<FleetDocument.EdgeItem> Edges,
    FleetDocument.CertificateItem? HomeCertificate,
    FleetDocument.BudgetItem Budget,
    IReadOnlyList<FleetDocument.RotationItem> Rotations,
    IReadOnlyList<FleetDocument.AlertItem> Alerts)
{
    public const int RecentAlerts = 20;

    /// <summary>
    /// The pool's emergency switch across the nameservers: <see cref="EmergencyItem.On"/> while one has it on (the panel's
    /// banner), which have it on and which off (one whose switch is not known, unreachable or older than the switch, is in neither).
    /// </summary>
    public EmergencyItem Emergency { get; init; } = EmergencyItem.Off;

    /// <summary>Since, reason and records are the first nameserver's that has it on; null and empty while off everywhere.</summary>
    public sealed record EmergencyItem(bool On, IReadOnlyList<string> OnAt, IReadOnlyList<string> OffAt, DateTimeOffset? Since, string? Reason, IReadOnlyList<string> Records)
    {
        public static readonly EmergencyItem Off = new(false, [], [], null, null, []);

        public static EmergencyItem Of(IReadOnlyList<NameserverSight> nameservers)
        {
            var on = nameservers.Where(n => n.Emergency is { On: true }).ToList();
            var first = on.FirstOrDefault()?.Emergency;
            return new(on.Count > 0, [.. on.Select(n => n.Name)], [.. nameservers.Where(n => n.Emergency is { On: false }).Select(n => n.Name)],
                first?.Since, first?.Reason, first?.Records ?? []);
        }
    }

    /// <summary>
    /// One nameserver: reachable or why not and since when; its /healthz status, version, zone count and warnings; the zone
    /// that holds the pool with the SOA serial it answers (<see cref="SerialDiffers"/>: another nameserver answers another
    /// serial for it), and when its zone files last loaded and last failed to, with their ages.
    /// </summary>
    public sealed record NameserverItem(string Name, string Url, bool Reachable, string? Error, DateTimeOffset? UnreachableSince, long? UnreachableSeconds,
        string? Status, string? Version, int? Zones, string? Problem, IReadOnlyList<string> Warnings,
        string? Zone, uint? Serial, bool SerialDiffers, DateTimeOffset? ReloadedAt, long? ReloadedSeconds, DateTimeOffset? ReloadFailedAt, long? ReloadFailedSeconds);

    /// <summary>
    /// One edge: its role at home (null: only a nameserver lists it), <see cref="Down"/> on every nameserver, in the
    /// answers of how many, each nameserver's view side by side, the rotation running for it, if any, and what it
    /// reports of itself (<see cref="FleetSignals"/>; null when the home holds no tunnel to it).
    /// <see cref="AnswersFor"/>: the countries whose clients get it now, continent → ISO codes, when the nameservers
    /// that say agree (null: they differ, each view has its own, or none says).
    /// </summary>
    public sealed record EdgeItem(string Name, string? Role, string? Country, bool Down, bool Stray, int InAnswersOn, int? CertificateDaysLeft,
        SpanItem? Disagreeing, TunnelItem? Tunnel, int? RotatingIn, IReadOnlyList<ViewItem> Views, IReadOnlyDictionary<string, IReadOnlyList<string>>? AnswersFor,
        FleetSignals? Signals)
    {
        /// <summary>The attack verdict on it (<see cref="AttackWatch"/>) and what <c>run</c> did about it; null when none.</summary>
        public AttackItem? Attack { get; init; }
    }

    public sealed record AttackItem(string Kind, string Summary, string Text, DateTimeOffset Since, string? Action);

    /// <summary>Since when something has held, and for how long at <see cref="At"/>.</summary>
    public sealed record SpanItem(DateTimeOffset Since, long Seconds);

    /// <summary>One nameserver's view of an edge; <see cref="State"/> as <see cref="EdgeOpinion.State"/> words it; <see cref="AnswersFor"/> as <see cref="EdgeOpinion.AnswersFor"/>.</summary>
    public sealed record ViewItem(string Nameserver, string State, bool InAnswers, bool Drained, DateTimeOffset? Since, int? CertificateDaysLeft, string? Passive, string? Source,
        IReadOnlyDictionary<string, IReadOnlyList<string>>? AnswersFor);

    /// <summary>The edge's tunnel home: stale or not, why, and the latest handshake with its age (null: none seen).</summary>
    public sealed record TunnelItem(bool Stale, string Reason, DateTimeOffset? Handshake, long? HandshakeSeconds);

    public sealed record CertificateItem(string Path, string? Subject, DateTimeOffset? NotAfter, int? DaysLeft, string? Error);

    /// <summary>Rotations the daemon may still begin today, of <see cref="Daily"/>.</summary>
    public sealed record BudgetItem(int Left, int Daily);

    /// <summary>
    /// One rotation: <see cref="Status"/> Running, Failed or Completed, at <see cref="Step"/>; <see cref="Active"/> when this
    /// daemon is working on it now (a Running one that is not was interrupted and resumes at the next start).
    /// </summary>
    public sealed record RotationItem(int Id, string OldEdge, string NewEdge, string Trigger, string Step, string Status, bool Active, string? Error,
        DateTimeOffset Started, DateTimeOffset? Finished, IReadOnlyList<RotationEventItem> Events);

    public sealed record RotationEventItem(DateTimeOffset At, string Step, string What, string? Detail);

    /// <summary>One alert message (one alert, or a storm grouped) and where it stands on each channel.</summary>
    public sealed record AlertItem(int Id, string Title, IReadOnlyList<AlertLine> Alerts, IReadOnlyList<DeliveryItem> Deliveries);

    public sealed record AlertLine(string Key, string Title, string Text, string Severity, bool Resolved, DateTimeOffset At);

    /// <summary><see cref="Status"/>: Pending, Sent, Retrying or Failed (given up).</summary>
    public sealed record DeliveryItem(string Channel, string Status, int Attempts, string? Error, DateTimeOffset? At);

    public static FleetDocument Of(FleetSnapshot fleet, IReadOnlyList<AlertRecord> alerts, IReadOnlyCollection<int> running, SidecarOptions options)
    {
        var looked = fleet.At != DateTimeOffset.MinValue;
        var at = fleet.At;
        long Seconds(DateTimeOffset since) => (long)Math.Max(0, (at - since).TotalSeconds);
        var rotating = fleet.Rotations.Where(r => r.Status == RotationStatus.Running).ToList();
        var serials = fleet.Nameservers.Where(n => n.Reachable && n.Zone?.Serial is not null).GroupBy(n => n.Zone!.Origin, StringComparer.OrdinalIgnoreCase)
            .ToDictionary(g => g.Key, g => g.Select(n => n.Zone!.Serial).Distinct().Count(), StringComparer.OrdinalIgnoreCase);
        return new FleetDocument(
            looked ? at : null,
            options.Rotation.PollInterval.TotalSeconds,
            options.Pool,
            [.. fleet.Nameservers.Select(n => new NameserverItem(n.Name, n.Url, n.Reachable, n.Error, n.UnreachableSince,
                n.UnreachableSince is { } down ? Seconds(down) : null, n.Status, n.Version, n.Zones, n.Problem, n.Warnings,
                n.Zone?.Origin, n.Zone?.Serial, n.Reachable && n.Zone?.Serial is not null && serials[n.Zone.Origin] > 1,
                n.ReloadedAt, n.ReloadedAt is { } loaded ? Seconds(loaded) : null, n.ReloadFailedAt, n.ReloadFailedAt is { } failed ? Seconds(failed) : null))],
            [.. fleet.Edges.Select(e => new EdgeItem(e.Name, e.Role, e.Country, e.Down, e.Stray, e.Views.Count(v => v.InAnswers),
                e.Views.Select(v => v.CertificateDaysLeft).Min(),
                e.DisagreeingSince is { } since ? new SpanItem(since, Seconds(since)) : null,
                e.Tunnel is { } t ? new TunnelItem(t.Stale, t.Reason, t.Handshake, t.Handshake is { } h ? Seconds(h) : null) : null,
                rotating.FirstOrDefault(r => r.OldEdge.Equals(e.Name, StringComparison.OrdinalIgnoreCase))?.Id,
                [.. e.Views.Select(v => new ViewItem(v.Nameserver, v.State, v.InAnswers, v.Drained, v.Since, v.CertificateDaysLeft, v.Passive, v.Source, v.AnswersFor))],
                e.AnswersFor,
                e.Signals is { } signals ? FleetSignals.Of(signals, options.Signals, at) : null)
            {
                Attack = fleet.AttackOn(e.Name) is { } a ? new AttackItem(a.KindName, a.Summary, a.Text, a.Since, a.Action) : null,
            })],
            fleet.Certificate is { } c ? new CertificateItem(c.Path, c.Subject, c.NotAfter, looked ? c.DaysLeft(at) : null, c.Error) : null,
            new BudgetItem(fleet.BudgetLeft, fleet.DailyBudget),
            [.. fleet.Rotations.Select(r => new RotationItem(r.Id, r.OldEdge, r.NewEdge?.Name ?? r.NewName, r.Trigger, r.Step.ToString(), r.Status.ToString(),
                running.Contains(r.Id), r.Error, r.Started, r.Finished,
                [.. r.Events.Select(v => new RotationEventItem(v.At, v.Step.ToString(), v.What, v.Detail))]))],
            [.. alerts.Select(a => new AlertItem(a.Id, a.Message.Title,
                [.. a.Message.Alerts.Select(l => new AlertLine(l.Key, l.Title, l.Text, l.Severity.ToString(), l.Resolved, l.At))],
                [.. a.Deliveries.Select(d => new DeliveryItem(d.Channel, d.Status.ToString(), d.Attempts, d.Error, d.At))]))])
        {
            Emergency = EmergencyItem.Of(fleet.Nameservers),
        };
    }
}
