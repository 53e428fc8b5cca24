using System.Net;
using GeoDns.Answering;
using GeoDns.Pools;
using GeoDns.Protocol;
using GeoDns.Publishing;
using GeoDns.RateLimiting;
using GeoDns.Tsig;
using GeoDns.Updates;
using GeoDns.Zones;
using Microsoft.Extensions.Logging;
using static GeoDns.Transfer.ReplySigning;

namespace GeoDns.Transfer;

/// <summary>
/// Everything the responder hands off its hot path (see <see cref="IMessageExchange"/>): TSIG checks and
/// signatures, AXFR and IXFR out, NOTIFY to secondaries and from primaries, and dynamic UPDATE (<see cref="UpdateReceiver"/>). As the publisher's
/// <see cref="IZoneComposer"/> it gives the zones their served versions, so answers, transfers and serials come from one version.
/// </summary>
public sealed class ZoneExchange : IMessageExchange, IZoneComposer, IDisposable
{
    private const byte FormErr = Rcode.FormErr, NotImp = Rcode.NotImp, Refused = Rcode.Refused;
    private readonly Responder _responder;
    private readonly TimeProvider _time;
    private readonly ILogger _log;
    private readonly Notifier _notifier;
    private readonly UpdateReceiver _updates;
    private volatile ExchangeSettings _settings = ExchangeSettings.Empty;
    private readonly string _dataDirectory;
    private readonly SourceAddresses _source;
    private volatile IReadOnlyDictionary<DnsName, SecondaryZone> _secondaries = new Dictionary<DnsName, SecondaryZone>();
    // Refusals name a source address anyone can forge: a line a second at most, with a count of the rest.
    private readonly LogCap _warnings;
    // Signed UPDATEs and NOTIFYs change state: one seen before within its time window is refused (RFC 8945 §5.2.3 leaves replays open).
    private readonly ReplayWindow _replays = new();
    private volatile bool _holding;

    public ZoneExchange(Responder responder, string dataDirectory, TimeProvider time, ILogger log, SourceAddresses? source = null)
    {
        _source = source ?? SourceAddresses.Any;
        _responder = responder;
        _time = time;
        _warnings = new LogCap(time);
        _log = log;
        _dataDirectory = dataDirectory;
        _notifier = new Notifier(time, log, _source);
        Served = new ServedZones(Path.Combine(dataDirectory, "journal"), time);
        Dynamic = new DynamicRecords(Path.Combine(dataDirectory, "dynamic"));
        foreach (var error in Dynamic.Errors) ZoneExchangeLog.LogDynamicUnreadable(_log, error);
        _updates = new UpdateReceiver(Served, Dynamic, responder, dataDirectory, time, log, _warnings);
        Served.Changed += OnChanged;
        Served.JournalDamaged += (origin, damage) => ZoneExchangeLog.LogJournalDamaged(_log, origin.ToString(), damage);
    }

    public ServedZones Served { get; }
    public DynamicRecords Dynamic { get; }
    public ExchangeSettings Settings => _settings;

    /// <summary>The zones we are secondary for, with their copies and refresh status.</summary>
    public IEnumerable<SecondaryZone> SecondaryZones => _secondaries.Values;

    /// <summary>Why the last UPDATE could not be stored (a full disk, say), while UPDATEs fail for it; null once one is stored again.</summary>
    public string? StorageProblem => _updates.StorageProblem;

    /// <summary>Called after an UPDATE or an admin change to dynamic records: compose, rebuild and swap in the answers, and return once they are answered.</summary>
    public Action? Republish
    {
        get => _updates.Republish;
        set => _updates.Republish = value;
    }

    /// <summary>Deletes dynamic records at <paramref name="name"/> (of <paramref name="type"/>, or all types when null); returns how many,
    /// or null when the data directory could not be written (nothing changed then, as for an UPDATE; <see cref="StorageProblem"/> says why).</summary>
    public int? DeleteDynamic(DnsName origin, DnsName name, ushort? type) => _updates.Delete(origin, name, type);

    /// <summary>A secondary zone got a new copy or expired: the publisher gathers (see <see cref="WithSecondaries"/>) and composes again.</summary>
    public event Action? SecondariesChanged;

    /// <summary>A secondary's copy moved only at pooled names: served versions follow, and only the serials in the answers move.</summary>
    public event Action? SerialsMoved;

    private void SecondaryChanged(SecondaryZone zone)
    {
        if (zone.Copy is { Steps: { } steps } && Served.Amend(zone.Origin, steps)) SerialsMoved?.Invoke();
        else SecondariesChanged?.Invoke();
    }

    public void Configure(ExchangeSettings settings)
    {
        _settings = settings;
        var current = _secondaries;
        var next = new Dictionary<DnsName, SecondaryZone>();
        foreach (var (origin, rule) in settings.Secondaries)
        {
            if (current.TryGetValue(origin, out var existing) && existing.Rule.Key == rule.Key && existing.Rule.Primaries.SequenceEqual(rule.Primaries)
                && existing.Rule.MaxRecords == rule.MaxRecords && existing.Rule.MaxBytes == rule.MaxBytes) { next[origin] = existing; continue; }
            var zone = new SecondaryZone(rule, Path.Combine(_dataDirectory, "secondary"), _time, _log, _source);
            zone.Changed += () => SecondaryChanged(zone);
            next[origin] = zone;
        }
        _secondaries = next;
        foreach (var (origin, zone) in current)
            if (!next.TryGetValue(origin, out var kept) || kept != zone) zone.Dispose();
    }

    /// <summary>The hook where the host loads zones: the zone files plus the copies of the zones we are secondary for.
    /// A zone file for the same origin wins (and the clash is reported).</summary>
    public ZoneSet WithSecondaries(ZoneSet files)
    {
        var zones = files.Zones.ToList();
        var errors = files.Errors.ToList();
        foreach (var (origin, secondary) in _secondaries)
        {
            if (secondary.Copy is not { } copy) continue;
            if (zones.Any(z => z.Origin == origin)) { errors.Add(new ZoneError($"exchange.secondaries: {origin}", 0, $"zone {origin} is both a zone file and a secondary; the file is served")); continue; }
            zones.Add(new Zone(origin, copy.Records, $"secondary of {string.Join(", ", secondary.Primaries)}", copy.RefreshedAt) { Transferred = true });
        }
        return new ZoneSet(zones, errors);
    }

    public ZoneSet Gather(ZoneSet loaded) => WithSecondaries(loaded);

    public ZoneSet Compose(ZoneSet zones, RoutingTable routes) =>
        Served.Compose(zones, routes, Dynamic, origin => _settings.Transfers.ContainsKey(origin));

    public IReadOnlyDictionary<DnsName, uint> Follow(RoutingTable routes) => Served.Follow(routes);

    public void Announce()
    {
        if (!_holding) Served.Announce();
    }

    /// <summary>
    /// Keeps new versions unannounced until <see cref="Release"/>: the host holds them until its listeners answer, since a
    /// follower NOTIFYed by a primary that cannot answer yet has its transfer refused and waits out the SOA retry.
    /// </summary>
    public void Hold() => _holding = true;

    /// <summary>Announces what was held (the versions composed meanwhile, their followers NOTIFYed once), and every version from now on.</summary>
    public void Release()
    {
        _holding = false;
        Served.Announce();
    }

    public IEnumerable<byte[]> Exchange(byte[] message, IPAddress client, bool tcp)
    {
        if (MessageReader.Read(message) is not { } read) return message.Length >= Query.HeaderLength && (message[2] & 0x80) == 0 ? [HeaderOnly(message, FormErr)] : [];
        if (read.IsResponse) return []; // never answer a response
        var now = _time.GetUtcNow();
        var tsig = TsigSigner.Verify(message, read, _settings.Keys, now, read.Opcode is 4 or 5 ? _replays : null);
        if (tsig.Status == TsigStatus.Malformed) return [TransferWriter.Error(read, FormErr)];
        if (tsig.Status == TsigStatus.Failed)
        {
            if (_warnings.TryTake(out var held)) ZoneExchangeLog.LogTsigFailed(_log, held, client.ToString(), tsig.KeyName.ToString(), tsig.Error);
            return [Sign(TransferWriter.Error(read, Rcode.NotAuth), tsig, now)];
        }
        return read.Opcode switch
        {
            0 when read.QuestionType is DnsType.AXFR or DnsType.IXFR => Transfer(read, client, tcp, tsig, now),
            0 => SignedQuery(message, read, client, tcp, tsig, now),
            4 => [Sign(NotifyIn(read, client, tsig), tsig, now)],
            // RFC 2136 §3.1.1: a secondary's zone is updated at its primary; forwarding is not ours.
            5 => [Sign(_secondaries.ContainsKey(read.QuestionName) ? TransferWriter.Error(read, Rcode.NotAuth) : _updates.Update(read, client, tsig, _settings), tsig, now)],
            _ => [Sign(TransferWriter.Error(read, NotImp), tsig, now)],
        };
    }

    private IEnumerable<byte[]> Transfer(MessageReader read, IPAddress client, bool tcp, TsigCheck tsig, DateTimeOffset now)
    {
        var origin = read.QuestionName;
        if (read.QuestionClass != ResourceRecord.ClassIN || Served.Find(origin) is null)
            return [Sign(TransferWriter.Error(read, Rcode.NotAuth), tsig, now)]; // RFC 5936 §2.2.1: not authoritative
        if (!_settings.Transfers.TryGetValue(origin, out var rule) || !rule.Allows(client, tsig.ValidKey))
        {
            if (_warnings.TryTake(out var held)) ZoneExchangeLog.LogTransferRefused(_log, held, DnsType.ToString(read.QuestionType), origin.ToString(), client.ToString(), tsig.ValidKey?.Name.ToString() ?? "none");
            return [Sign(TransferWriter.Error(read, Refused), tsig, now)];
        }
        if (read.QuestionType == DnsType.AXFR)
        {
            if (!tcp) return [Sign(TransferWriter.Error(read, Refused), tsig, now)]; // RFC 5936 §4.2: AXFR is TCP only
            var version = Served.Find(origin)!.Version;
            ZoneExchangeLog.LogTransfer(_log, "AXFR", origin.ToString(), version.Serial, client.ToString());
            return SignAll(TransferWriter.Axfr(read, version), tsig, now);
        }
        // RFC 1995 §3: the client's SOA in the authority section says where it stands.
        if (read.Authorities.Count != 1 || read.Authorities[0] is not { Type: DnsType.SOA } theirs || theirs.Owner != origin || theirs.Data.Length < 22)
            return [Sign(TransferWriter.Error(read, FormErr), tsig, now)];
        var clientSerial = Serial.Of(theirs.ToResourceRecord());
        if (Served.Since(origin, clientSerial) is not var (current, steps)) return [Sign(TransferWriter.Error(read, Rcode.NotAuth), tsig, now)];
        if (!Serial.Newer(current.Serial, clientSerial) || !tcp) return SignAll(TransferWriter.SoaOnly(read, current), tsig, now);
        ZoneExchangeLog.LogTransfer(_log, steps is null ? "IXFR (as AXFR)" : "IXFR", origin.ToString(), current.Serial, client.ToString());
        return SignAll(steps is null ? TransferWriter.Axfr(read, current) : TransferWriter.Ixfr(read, current, steps), tsig, now);
    }

    private IEnumerable<byte[]> SignedQuery(byte[] message, MessageReader read, IPAddress client, bool tcp, TsigCheck tsig, DateTimeOffset now)
    {
        var unsigned = tsig.Status == TsigStatus.Valid ? TsigSigner.WithoutTsig(message, read.Additionals[^1]) : message;
        var reply = new byte[65535];
        var length = _responder.Respond(unsigned, reply, tcp, client.GetAddressBytes());
        if (length <= 0) return [];
        return [Sign(reply[..length], tsig, now)];
    }

    /// <summary>RFC 1996 §3.7-3.11: a primary's NOTIFY (from its address, with the zone's key if set) starts a refresh.</summary>
    private byte[] NotifyIn(MessageReader read, IPAddress client, TsigCheck tsig)
    {
        if (!_secondaries.TryGetValue(read.QuestionName, out var zone)) return TransferWriter.Error(read, Rcode.NotAuth);
        if (client.IsIPv4MappedToIPv6) client = client.MapToIPv4();
        if (!zone.Primaries.Any(p => p.Address.Equals(client)) || (zone.Key is not null && tsig.ValidKey != zone.Key))
        {
            if (_warnings.TryTake(out var held)) ZoneExchangeLog.LogNotifyRefused(_log, held, read.QuestionName.ToString(), client.ToString());
            return TransferWriter.Error(read, Refused);
        }
        zone.Notify();
        return TransferWriter.Error(read, 0, authoritative: true);
    }

    private void OnChanged(DnsName origin, ZoneVersion version)
    {
        if (!_settings.Transfers.TryGetValue(origin, out var rule) || rule.Notify.Count == 0) return;
        _notifier.Notify(origin, () =>
        {
            var settings = _settings;
            var current = settings.Transfers.GetValueOrDefault(origin) ?? rule;
            return (Served.Find(origin)?.Version.Soa ?? version.Soa, current.Notify, current.NotifyKey, settings.NotifyInterval, settings.NotifyAttempts);
        });
    }

    private static byte[] HeaderOnly(byte[] message, byte rcode)
    {
        var reply = message[..Query.HeaderLength];
        reply[2] = (byte)(0x80 | (message[2] & 0x78));
        reply[3] = rcode;
        Array.Clear(reply, 4, 8);
        return reply;
    }

    public void Dispose()
    {
        _notifier.Dispose();
        foreach (var zone in _secondaries.Values) zone.Dispose();
    }
}
