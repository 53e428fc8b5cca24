namespace GeoDns.Alerts;

public enum AlertSeverity
{
    Info,
    Warning,
    Critical,
}

/// <summary>
/// One alert: an incident starting (<see cref="Resolved"/> false) or ending. <see cref="Key"/> names the incident
/// (<c>edge-down:edge-2</c>): raised again while it lasts, it is not sent again.
/// </summary>
public sealed record Alert(string Key, string Title, string Text, AlertSeverity Severity, bool Resolved, DateTimeOffset At)
{
    /// <summary>One line for a grouped message: <c>RESOLVED edge-2 is Up again</c>.</summary>
    public string Line => $"{(Resolved ? "RESOLVED" : Severity.ToString().ToUpperInvariant())} {Title}{(Text == "" ? "" : $": {Text}")}";
}

/// <summary>What goes out on every channel: one alert, or a storm of them as one message.</summary>
public sealed record AlertMessage(string Source, IReadOnlyList<Alert> Alerts)
{
    public string Title => Alerts.Count == 1
        ? $"{Source}: {(Alerts[0].Resolved ? "resolved: " : "")}{Alerts[0].Title}"
        : $"{Source}: {Alerts.Count} alerts ({string.Join(", ", Counts())})";

    /// <summary>"2 firing, 1 resolved, 1 notice": a notice (a rotation that started, Info) is neither firing nor resolved.</summary>
    private IEnumerable<string> Counts()
    {
        var (firing, resolved) = (Alerts.Count(a => !a.Resolved && a.Severity > AlertSeverity.Info), Alerts.Count(a => a.Resolved));
        var notices = Alerts.Count - firing - resolved;
        if (firing > 0) yield return $"{firing} firing";
        if (resolved > 0) yield return $"{resolved} resolved";
        if (notices > 0) yield return $"{notices} notice{(notices == 1 ? "" : "s")}";
    }

    public string Text => string.Join("\n", Alerts.Select(a => a.Line));

    public AlertSeverity Severity => Alerts.Any(a => !a.Resolved) ? Alerts.Where(a => !a.Resolved).Max(a => a.Severity) : AlertSeverity.Info;
}
