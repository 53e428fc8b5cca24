using GeoDns.Sidecar.State;

namespace GeoDns.Sidecar.Hooks;

/// <summary>
/// Every country about to be bought in, checked against the countries hook before anything is bought: a config naming a
/// country the provider has no location in fails here, on its key, rather than at that entry's create hook after the
/// VPS before it were bought. Unset hook: no check. An entry without a country is not checked (the create hook picks).
/// </summary>
public static class CountryCheck
{
    /// <summary>Past this many, the served countries are cut short in a message (a provider may serve every country).</summary>
    private const int Listed = 20;

    public static bool Configured(HookOptions hooks) => !string.IsNullOrWhiteSpace(hooks.Countries);

    /// <summary>What <c>bootstrap</c> buys: the fleet's nameservers (when it sets them up) and the config's edges without an address, keyed as in sidecar.json.</summary>
    public static IReadOnlyList<(string Key, string Country)> Bootstrap(SidecarOptions options, EdgeInventory inventory)
    {
        var wanted = new List<(string, string)>();
        if (Fleet.FleetBootstrap.Provisions(options))
        {
            for (var i = 0; i < options.Fleet.Nameservers.Count; i++)
                if (options.Fleet.Nameservers[i] is { Exists: false, Country: { Length: > 0 } country })
                    wanted.Add(($"fleet.nameservers[{i}].country", country));
        }
        for (var i = 0; i < options.Edges.Count; i++)
        {
            // The inventory's entry is what bootstrap buys from: an edge bought or rotated away before is not bought again.
            if (inventory.Find(options.Edges[i].Name) is { Role: EdgeRole.Serving, Host: { Exists: false, Country: { Length: > 0 } country } })
                wanted.Add(($"edges[{i}].country", country));
        }
        return wanted;
    }

    /// <summary>What a rotation of <paramref name="replaced"/> buys: a VPS in its country, keyed as in sidecar.json when it is listed there with that country.</summary>
    public static IReadOnlyList<(string Key, string Country)> Rotation(SidecarOptions options, EdgeHost replaced)
    {
        if (replaced.Country is not { Length: > 0 } country) return [];
        var listed = options.Edges.FindIndex(e => e.Name.Equals(replaced.Name, StringComparison.OrdinalIgnoreCase) && e.Country == country);
        return [(listed >= 0 ? $"edges[{listed}].country" : $"{replaced.Name}'s country", country)];
    }

    /// <summary>Runs the countries hook (when set and something is wanted) and fails on the first country it does not print.</summary>
    public static async Task<Outcome> CheckAsync(SidecarSession session, IReadOnlyList<(string Key, string Country)> wanted, CancellationToken cancel)
    {
        var hooks = session.Options.Hooks;
        if (!Configured(hooks) || wanted.Count == 0) return Outcome.Success;
        if (HookOptions.Problem(("countries", hooks.Countries)) is { } problem) return Outcome.Failed(problem);
        var served = await session.Provider.CountriesAsync(cancel);
        if (!served.Ok) return served.WithoutValue();
        foreach (var (key, country) in wanted)
        {
            // Exactly as the create hook will get it: a hook's table knows DE, not de.
            if (!served.Value!.Contains(country))
                return Outcome.Failed($"{key}: '{country}' is not a country hooks.countries serves ({List(served.Value)})");
        }
        return Outcome.Success;
    }

    private static string List(IReadOnlySet<string> served)
    {
        var sorted = served.Order(StringComparer.Ordinal).ToList();
        return sorted.Count <= Listed ? string.Join(", ", sorted) : $"{string.Join(", ", sorted.Take(Listed))}, … {sorted.Count} in all";
    }
}
