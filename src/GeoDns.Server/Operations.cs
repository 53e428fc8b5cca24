using GeoDns.Health;
using GeoDns.Persistence;
using GeoDns.Pools;
using GeoDns.Protocol;
using GeoDns.Publishing;
using GeoDns.Transfer;
using GeoDns.Zones;

namespace GeoDns.Server;

/// <summary>
/// What an operator can change, each in one step: validate, write the state file, hand the new state
/// to the publisher, and return once it is answered. Drains and forced states are kept by edge name
/// (so in every pool holding the edge), emergency switches by pool name; edges added here are kept in the store and merged into the
/// configured pools, where the config file owns its own edges. Reloads of the zone files, the config and the geo database
/// (a file changed, SIGHUP, the admin) come through here too (<see cref="Reloads"/>). Nothing else changes what is served
/// from the admin: it reads the rest (<see cref="Observations"/>).
/// </summary>
/// <param name="exchange">Null when no keys, transfers, updates or secondaries are configured.</param>
public sealed class Operations(HealthStore store, HealthMonitor monitor, Publisher publisher, ZoneExchange? exchange, Reloads reloads, TimeProvider time)
{
    public Task<OperationOutcome> SetDrainedAsync(string name, bool drained, string? reason = null) =>
        OverrideAsync(name, edge => store.SetDrained(edge, drained, reason));

    /// <param name="state">Up or Down, or null to give the edge back to its probes.</param>
    public Task<OperationOutcome> SetForcedAsync(string name, HealthState? state, string? reason = null) =>
        OverrideAsync(name, edge => store.SetForced(edge, state, reason));

    /// <summary>
    /// The home sidecar's report that an edge's tunnel is down (<paramref name="reason"/>) or fine again (null), for
    /// every address of the edge, in every pool holding it: down counts as Down whatever the probes say, for
    /// <paramref name="hold"/> unless reported again, so a sidecar that dies pins no edge down. Kept in memory only:
    /// the sidecar reports again every poll, which restores it after a restart of this server.
    /// </summary>
    public async Task<OperationOutcome> SetTunnelAsync(string name, string? reason, TimeSpan hold)
    {
        var edge = publisher.Current.Pools.Pools.SelectMany(p => p.Edges).FirstOrDefault(e => EdgeIdentity.SameName(e.Name, name));
        if (edge is null) return Fail(OperationStatus.NotFound, $"no edge named '{name}' in any pool");
        foreach (var address in edge.Addresses()) monitor.SetPassive(address, reason is null ? null : $"tunnel down: {reason}", hold);
        return new OperationOutcome(OperationStatus.Done, [], await publisher.FlushAsync());
    }

    /// <summary>
    /// Turns a pool's emergency switch on: until it is turned off, the pool answers its emergency records (the config's
    /// <c>emergency</c>, else its <c>fallback</c>) instead of its edges, at once and after restarts and reloads. Refused
    /// (409) for a pool with neither, naming the keys to set. Off clears a switch kept for a pool the config has since dropped too.
    /// </summary>
    public async Task<OperationOutcome> SetEmergencyAsync(string poolText, bool on, string? reason = null)
    {
        var pool = Find(publisher.Current.Pools, poolText);
        // Kept by name: the switch of a pool no longer in the config can still be turned off, or it would come back with the pool.
        var key = pool is not null ? EmergencySwitch.Key(pool.Name) : DnsName.TryParse(poolText, out var name, out _) ? EmergencySwitch.Key(name) : null;
        if (pool is null && (on || key is null || !store.Emergencies().ContainsKey(key))) return NoPool(poolText);
        if (on && pool!.Emergency.Count == 0)
            return Fail(OperationStatus.Conflict, $"pool {Name(pool.Name)} has no emergency answer: give it \"emergency\" (or \"fallback\") records in the config file, " +
                "e.g. \"emergency\": [\"CNAME maintenance.example.net.\"], and reload");
        store.SetEmergency(key!, on, reason);
        publisher.SetEmergencies(store.Emergencies());
        return new OperationOutcome(OperationStatus.Done, [], await publisher.FlushAsync());
    }

    public async Task<OperationOutcome> AddEdgeAsync(string poolText, EdgeOptions body)
    {
        var snapshot = publisher.Current;
        if (Find(snapshot.Pools, poolText) is not { } pool) return NoPool(poolText);
        var edge = PoolSetBuilder.ValidateEdge(body, "api", out var errors);
        if (edge is null) return new OperationOutcome(OperationStatus.Invalid, errors, snapshot);
        var same = pool.Edges.FirstOrDefault(e => EdgeIdentity.SameName(e.Name, edge.Name));
        if (same is { Source: "config" })
            return Fail(OperationStatus.Conflict, $"pool {Name(pool.Name)} already has edge '{same.Name}' from the config file");
        if (EdgeIdentity.ConflictIn(snapshot.Pools, edge) is { } other && other != same)
            return Fail(OperationStatus.Conflict, EdgeIdentity.Message(other));
        store.AddEdge(new StoredEdge(Name(pool.Name), edge.Name, edge.Ipv4?.ToString(), edge.Ipv6?.ToString(), edge.Latitude, edge.Longitude,
            edge.Country, edge.Weight, time.GetUtcNow()));
        publisher.SetStoredEdges(store.Edges());
        var published = await publisher.FlushAsync();
        // The monitor probes new targets on its own; waiting for a first probe lets the caller see the edge's first state.
        await Task.WhenAll(edge.Addresses().Select(a => monitor.ProbeNowAsync(edge.Target(a, pool.Probe)!)));
        published = await publisher.FlushAsync();
        var added = published.Pools.Find(pool.Name)?.Edges.Any(e => EdgeIdentity.SameName(e.Name, edge.Name)) ?? false;
        return added
            ? new OperationOutcome(same is null ? OperationStatus.Created : OperationStatus.Done, [], published)
            : Fail(OperationStatus.Invalid, $"edge '{edge.Name}' was stored but is not in the pool; see the server log");
    }

    public async Task<OperationOutcome> RemoveEdgeAsync(string poolText, string name)
    {
        if (Find(publisher.Current.Pools, poolText) is not { } pool) return NoPool(poolText);
        if (pool.Edges.FirstOrDefault(e => EdgeIdentity.SameName(e.Name, name)) is { Source: "config" } configured)
            return Fail(OperationStatus.Conflict, $"edge '{configured.Name}' comes from the config file; remove it there");
        if (!store.RemoveEdge(Name(pool.Name), name))
            return Fail(OperationStatus.NotFound, $"pool {Name(pool.Name)} has no edge '{name}' added through the API");
        publisher.SetStoredEdges(store.Edges());
        return new OperationOutcome(OperationStatus.Done, [], await publisher.FlushAsync());
    }

    /// <summary>Re-reads the zone files (a file changed, SIGHUP) and hands them to the publisher without waiting; returns what was read.</summary>
    public ZoneSet ReloadZones(string reason) => reloads.Zones(reason);

    /// <summary>Re-reads the config file (it changed, SIGHUP): pools, the exchange's contents, RRL and cookies, each section on its own.</summary>
    public void ReloadConfig() => reloads.Config();

    /// <summary>Opens the geo database again (the file changed); missing or broken turns geo off, loudly.</summary>
    public void ReloadGeo() => reloads.Geo();

    /// <summary>Re-reads the zone files and returns once the result is answered; errors name file and line (their zones keep the previous version).</summary>
    public async Task<OperationOutcome> ReloadZonesAsync(string reason)
    {
        var zones = reloads.Zones(reason);
        var published = await publisher.FlushAsync();
        return zones.Errors.Count == 0
            ? new OperationOutcome(OperationStatus.Done, [], published)
            : new OperationOutcome(OperationStatus.Invalid, zones.Errors.Select(e => e.ToString()).ToList(), published);
    }

    /// <summary>
    /// Deletes dynamic records (added by UPDATE) at <paramref name="nameText"/> in <paramref name="zoneText"/>, of one type or all;
    /// published and NOTIFYed as an UPDATE is. A data directory that cannot be written changes nothing and says so.
    /// </summary>
    public async Task<OperationOutcome> DeleteDynamicAsync(string zoneText, string nameText, string? typeText)
    {
        if (exchange is null) return Fail(OperationStatus.Conflict, "dynamic update is not configured (no exchange section with keyFiles and updates)");
        if (!DnsName.TryParse(zoneText, out var origin, out var problem)) return Fail(OperationStatus.Invalid, $"zone: {problem}");
        if (exchange.Served.Find(origin) is null) return Fail(OperationStatus.NotFound, $"zone {origin} is not served");
        if (!DnsName.TryParse(nameText, out var name, out problem) || !name.IsAtOrBelow(origin))
            return Fail(OperationStatus.Invalid, $"name: '{nameText}' is not a name in {origin} ({problem})");
        ushort? type = null;
        if (typeText is { Length: > 0 })
        {
            if (!DnsType.TryParse(typeText, out var parsed)) return Fail(OperationStatus.Invalid, $"type: '{typeText}' is not a record type");
            type = parsed;
        }
        if (exchange.DeleteDynamic(origin, name, type) is not { } deleted)
            return Fail(OperationStatus.Unavailable, $"not deleted, nothing changed: {exchange.StorageProblem}");
        if (deleted == 0) return Fail(OperationStatus.NotFound, $"no dynamic record at {name}{(type is { } t ? " of type " + DnsType.ToString(t) : "")}");
        return new OperationOutcome(OperationStatus.Done, [], await publisher.FlushAsync()) { Changed = deleted };
    }

    private async Task<OperationOutcome> OverrideAsync(string name, Action<string> change)
    {
        var edge = publisher.Current.Pools.Pools.SelectMany(p => p.Edges).FirstOrDefault(e => EdgeIdentity.SameName(e.Name, name));
        if (edge is null) return Fail(OperationStatus.NotFound, $"no edge named '{name}' in any pool");
        change(edge.Name);
        publisher.SetOverrides(store.Overrides());
        return new OperationOutcome(OperationStatus.Done, [], await publisher.FlushAsync());
    }

    /// <summary>Pool names as the config writes them: no trailing dot.</summary>
    public static string Name(DnsName pool) => pool.ToString().TrimEnd('.');

    private static Pool? Find(PoolSet pools, string pool) => DnsName.TryParse(pool, out var name, out _) ? pools.Find(name) : null;

    private OperationOutcome NoPool(string pool) => Fail(OperationStatus.NotFound, $"no pool named '{pool}' (pools come from the config file)");

    private OperationOutcome Fail(OperationStatus status, string error) => new(status, [error], publisher.Current);
}
