using GeoDns.Geo;
using GeoDns.Pools;

namespace GeoDns.Answering;

/// <summary>
/// The countries each edge of a pool is answered to now, in an A or an AAAA answer. Every country of
/// <see cref="CountryCentroids"/> is asked of the pool's own <see cref="GeoAnswer"/>s as a client at the country's point
/// (the point a country-only database gives), at any turn (equally near edges take turns): so health, drains,
/// <c>answers</c> and <c>regions</c> count exactly as they do for queries. A city database places a client at its city
/// instead, so near a border or across a large country a client may get another edge than its country's point does.
/// For the admin, never the query path: it allocates, and asks ~250 countries.
/// </summary>
public static class PoolCoverage
{
    /// <summary>Edge name → continent → country codes (countries sorted; continents with the most countries first); an edge answered nowhere is absent.</summary>
    /// <param name="geo">Whether a geo database is loaded: without one every client is unknown and gets every answerable edge.</param>
    public static IReadOnlyDictionary<string, IReadOnlyDictionary<string, IReadOnlyList<string>>> Of(PoolAnswer answer, bool geo)
    {
        var countries = new Dictionary<string, HashSet<string>>(EdgeIdentity.Names);
        void Add(string edge, string country)
        {
            if (!countries.TryGetValue(edge, out var set)) countries[edge] = set = [];
            set.Add(country);
        }
        var route = answer.Route;
        if (route.AllDown)
        {
            // The all-down policy answers every client alike: allDown=all every edge not drained, none and fallback no edge.
            if (route.Pool.AllDown == AllDownPolicy.All)
                foreach (var edge in route.Edges.Where(e => !e.Drained))
                    foreach (var code in CountryCentroids.Codes) Add(edge.Edge.Name, code);
        }
        else
            foreach (var code in CountryCentroids.Codes)
            {
                var (latitude, longitude, continent) = CountryCentroids.Find(code)!.Value;
                var location = geo ? new GeoLocation(latitude, longitude, code, continent, 0) : GeoLocation.Unknown(0);
                foreach (var family in new[] { answer.GeoA, answer.GeoAaaa }.OfType<GeoAnswer>())
                    foreach (var chosen in family.ChosenAtAnyTurn(location)) Add(chosen.Edge.Name, code);
            }
        return countries.ToDictionary(e => e.Key, e => (IReadOnlyDictionary<string, IReadOnlyList<string>>)ByContinent(e.Value), EdgeIdentity.Names);
    }

    private static Dictionary<string, IReadOnlyList<string>> ByContinent(IEnumerable<string> codes) =>
        codes.GroupBy(code => CountryCentroids.Find(code)!.Value.Continent)
            .OrderByDescending(g => g.Count()).ThenBy(g => g.Key, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => (IReadOnlyList<string>)[.. g.Order(StringComparer.Ordinal)]);
}
