using System.Collections.Concurrent;
using GeoDns.Geo;

namespace GeoDns.Answering;

/// <summary>
/// The A or AAAA answer of a pool, chosen per query for the client's location: the k nearest
/// healthy edges (distance divided by weight; Up before Suspect), with region maps first, and ties
/// rotating. Each distinct choice is rendered once and kept, so after warm-up a query allocates nothing.
/// </summary>
public sealed class GeoAnswer
{
    /// <summary>Choices are keyed by up to 10 candidate indices of 6 bits each.</summary>
    public const int MaxCandidates = 63, MaxAnswers = 10;
    /// <summary>Edges closer than this to each other count as equally near, and take turns.</summary>
    private const double TieKilometers = 1;

    private readonly GeoCandidate[] _candidates;
    private readonly int _k;
    private readonly Dictionary<string, int[]> _regions;
    private readonly PreparedAnswer[] _shuffled;
    private readonly Func<IEnumerable<GeoCandidate>, PreparedAnswer> _render;
    private readonly ConcurrentDictionary<ulong, PreparedAnswer> _rendered = new();

    public GeoAnswer(IReadOnlyList<GeoCandidate> candidates, int k, IReadOnlyDictionary<string, IReadOnlyList<string>> regions, Func<IEnumerable<GeoCandidate>, PreparedAnswer> render)
    {
        _candidates = candidates.Take(MaxCandidates).ToArray();
        _k = Math.Clamp(k, 1, MaxAnswers);
        _render = render;
        _regions = regions.ToDictionary(r => r.Key, r => r.Value.Select(name => Array.FindIndex(_candidates, c => c.Edge.Name == name)).Where(i => i >= 0).ToArray(), StringComparer.OrdinalIgnoreCase);
        // Unknown locations get every healthy edge in weighted random order (Up first); a few orders
        // drawn now and taken in turn give that without randomness on the query path.
        _shuffled = Enumerable.Range(0, 16).Select(_ => render(_candidates
            .OrderBy(c => c.Suspect)
            .ThenByDescending(c => Math.Pow(Random.Shared.NextDouble(), 1 / c.Edge.Weight)))).ToArray();
    }

    public IReadOnlyList<GeoCandidate> Candidates => _candidates;

    public PreparedAnswer Select(in GeoLocation location, uint turn)
    {
        if (location.Latitude is not { } latitude || location.Longitude is not { } longitude) return _shuffled[turn % (uint)_shuffled.Length];
        Span<int> chosen = stackalloc int[_k];
        var count = Choose(location.Country, location.Continent, latitude, longitude, turn, chosen);
        var key = 0UL;
        for (var i = 0; i < count; i++) key = key << 6 | (uint)(chosen[i] + 1);
        return _rendered.TryGetValue(key, out var answer) ? answer : Render(key, chosen[..count].ToArray());
    }

    /// <summary>
    /// The candidates <see cref="Select"/> answers for <paramref name="location"/> and <paramref name="turn"/>, best
    /// first, by the same ranking; for explanations, not the query path (it allocates). For an unknown location
    /// the order is drawn at random per query, so this gives every candidate, Up before Suspect.
    /// </summary>
    public IReadOnlyList<GeoCandidate> Chosen(in GeoLocation location, uint turn)
    {
        if (location.Latitude is not { } latitude || location.Longitude is not { } longitude) return [.. _candidates.OrderBy(c => c.Suspect)];
        var chosen = new int[_k];
        var count = Choose(location.Country, location.Continent, latitude, longitude, turn, chosen);
        return [.. chosen[..count].Select(i => _candidates[i])];
    }

    /// <summary>
    /// Every candidate <see cref="Select"/> answers for <paramref name="location"/> at one turn or another, in candidate order:
    /// the choice at turn 0 and the candidates ranked equal to its last (those take turns). For the admin's
    /// <see cref="PoolCoverage"/>, not the query path (it allocates).
    /// </summary>
    public IReadOnlyList<GeoCandidate> ChosenAtAnyTurn(in GeoLocation location)
    {
        if (location.Latitude is not { } latitude || location.Longitude is not { } longitude) return _candidates;
        var chosen = new int[_k];
        var preferred = Preferred(location.Country, location.Continent, chosen);
        var count = Choose(location.Country, location.Continent, latitude, longitude, 0, chosen);
        var any = chosen[..count].ToHashSet();
        if (count > preferred)
        {
            var score = new double[_candidates.Length];
            Score(latitude, longitude, 0, score);
            // The turn's share of a score is below 1 (at most 62/1000), so the whole part is the rank without it.
            var last = Math.Floor(score[chosen[count - 1]]);
            for (var i = 0; i < _candidates.Length; i++)
                if (Math.Floor(score[i]) == last) any.Add(i);
        }
        return [.. any.Order().Select(i => _candidates[i])];
    }

    /// <summary>First use of a choice; apart from the query path's fast case so its closure is not allocated there.</summary>
    private PreparedAnswer Render(ulong key, int[] picked) => _rendered.GetOrAdd(key, _ => _render(picked.Select(i => _candidates[i])));

    /// <summary>The indices of the chosen candidates, best first; returns how many (never 0 while any candidate exists).</summary>
    public int Choose(string? country, string? continent, double latitude, double longitude, uint turn, Span<int> chosen)
    {
        var count = Preferred(country, continent, chosen);
        Span<double> score = stackalloc double[_candidates.Length];
        Score(latitude, longitude, turn, score);
        for (var i = 0; i < count; i++) score[chosen[i]] = double.MaxValue;
        while (count < chosen.Length && count < _candidates.Length)
        {
            var best = -1;
            for (var i = 0; i < _candidates.Length; i++)
                if (score[i] < double.MaxValue && (best < 0 || score[i] < score[best])) best = i;
            if (best < 0) break;
            chosen[count++] = best;
            score[best] = double.MaxValue;
        }
        return count;
    }

    /// <summary>The region map's edges for the country, else its continent, first; returns how many.</summary>
    private int Preferred(string? country, string? continent, Span<int> chosen)
    {
        var count = 0;
        if ((country is not null && _regions.TryGetValue(country, out var preferred)) || (continent is not null && _regions.TryGetValue(continent, out preferred)))
            foreach (var index in preferred)
                if (count < chosen.Length) chosen[count++] = index;
        return count;
    }

    /// <summary>Each candidate's rank for a point, lower first.</summary>
    private void Score(double latitude, double longitude, uint turn, Span<double> score)
    {
        var (x, y, z) = GeoCandidate.UnitVector(latitude, longitude);
        for (var i = 0; i < _candidates.Length; i++)
        {
            var c = _candidates[i];
            // Suspect ones rank after all Up ones; ties (same place, same weight) break by turn, so they rotate.
            var km = Math.Floor(c.Kilometers(x, y, z) / c.Edge.Weight / TieKilometers);
            score[i] = (c.Suspect ? 1e9 : 0) + Math.Min(km, 1e8) + (i + turn) % (uint)_candidates.Length / 1000.0;
        }
    }
}
