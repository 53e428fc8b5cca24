using GeoDns.Answering;
using GeoDns.Updates;

namespace GeoDns.Transfer;

/// <summary>The config's <c>exchange</c> section: key files, per-zone transfer rules, update policies, secondary zones and NOTIFY pacing.</summary>
public sealed class ExchangeOptions
{
    /// <summary>Files in the form <c>tsig-keygen</c> writes; keys are read from them, never from the config itself.</summary>
    public List<string> KeyFiles { get; set; } = [];

    public List<ZoneTransferOptions> Transfers { get; set; } = [];

    public List<UpdatePolicyOptions> Updates { get; set; } = [];

    public List<SecondaryZoneOptions> Secondaries { get; set; } = [];

    /// <summary>At most one NOTIFY round per zone per this interval (health flaps coalesce), default 1 s.</summary>
    public TimeSpan NotifyInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>NOTIFY attempts per secondary until it answers (RFC 1996 §3.6), 1 s apart and doubling.</summary>
    public int NotifyAttempts { get; set; } = 5;

    /// <summary>At most this many records added by dynamic update per zone (see <see cref="UpdateLimits"/>), default 1000.</summary>
    public int MaxDynamicRecords { get; set; } = UpdateLimits.Default.Records;

    /// <summary>At most this many bytes of them per zone, counted as a transfer carries them, default 262144 (256 KiB).</summary>
    public int MaxDynamicBytes { get; set; } = UpdateLimits.Default.Bytes;

    /// <summary>Threads that handle transfers, NOTIFY, UPDATE and signed queries off the receive threads, 1-16; read at start only.</summary>
    public int Workers { get; set; } = ExchangeWorkers.DefaultWorkers;

    /// <summary>Messages that may wait for those threads, 16-65536; past it one is refused (and counted). Read at start only.</summary>
    public int Queue { get; set; } = ExchangeWorkers.DefaultCapacity;

    /// <summary>The problems with <see cref="Workers"/> and <see cref="Queue"/>, each naming its key; empty when usable. (The rest of
    /// the section is checked, with the key files it names, by <see cref="ExchangeSettings.Build"/>.)</summary>
    public IReadOnlyList<string> Validate()
    {
        var errors = new List<string>();
        if (Workers is < 1 or > 16) errors.Add($"exchange.workers: {Workers} is not between 1 and 16");
        if (Queue is < 16 or > 65536) errors.Add($"exchange.queue: {Queue} is not between 16 and 65536");
        return errors;
    }

    /// <summary>True when any of keys, transfers, updates or secondaries is set: only then does the exchange run.</summary>
    [System.Text.Json.Serialization.JsonIgnore]
    public bool Configured => KeyFiles.Count > 0 || Transfers.Count > 0 || Updates.Count > 0 || Secondaries.Count > 0;
}
