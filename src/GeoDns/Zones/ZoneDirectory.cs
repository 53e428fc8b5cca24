using GeoDns.Protocol;

namespace GeoDns.Zones;

/// <summary>
/// The zones of one directory: every <c>NAME.zone</c> file is the zone NAME (files with other extensions,
/// such as <c>$INCLUDE</c>d <c>.inc</c> files, are not zones). A reload is all-or-nothing per zone: a file
/// that fails to load keeps serving its previous version, and its errors are reported in the new set.
/// </summary>
public sealed class ZoneDirectory(string path, TimeProvider time)
{
    public const string Extension = ".zone";

    private readonly Lock _reloading = new();
    private ZoneSet _current = ZoneSet.Empty;
    private volatile HashSet<string> _includes = [];

    public string Path { get; } = path;

    /// <summary>The set made by the last <see cref="Reload"/> (empty before the first).</summary>
    public ZoneSet Current => Volatile.Read(ref _current);

    /// <summary>Re-reads every zone file. Safe to call from several threads; calls run one at a time.</summary>
    public ZoneSet Reload()
    {
        lock (_reloading)
        {
            var previous = _current.Zones.ToDictionary(z => z.File);
            var zones = new List<Zone>();
            var errors = new List<ZoneError>();
            string[] files;
            try
            {
                files = [.. Directory.EnumerateFiles(Path, "*" + Extension).Where(f => f.EndsWith(Extension, StringComparison.Ordinal)).Order(StringComparer.Ordinal)];
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                // Without a listing we cannot tell deleted zones from unreadable ones: keep serving what we have.
                return Publish(new ZoneSet(_current.Zones, [new ZoneError(Path, 0, $"cannot list the zone directory: {e.Message}")]));
            }
            var loadedFrom = new Dictionary<DnsName, string>();
            var includes = new HashSet<string>(StringComparer.Ordinal);
            foreach (var file in files)
            {
                if (Origin(file, out var error) is not { } origin)
                    errors.Add(new ZoneError(file, 0, error));
                else if (loadedFrom.TryGetValue(origin, out var other))
                    errors.Add(new ZoneError(file, 0, $"zone {origin} is already loaded from {other}"));
                else
                {
                    loadedFrom[origin] = file;
                    var result = ZoneFileParser.Load(file, origin, time);
                    errors.AddRange(result.Errors);
                    includes.UnionWith(result.Includes);
                    if ((result.Zone ?? previous.GetValueOrDefault(file)) is { } zone) zones.Add(zone);
                }
            }
            _includes = includes;
            return Publish(new ZoneSet(zones, errors));
        }
    }

    /// <summary>
    /// Whether a change to <paramref name="path"/> can change the zones: a <c>*.zone</c> file directly in the
    /// directory, or a file some zone <c>$INCLUDE</c>s. Anything else (a data directory kept inside, an
    /// editor's swap file) is not a reason to reload.
    /// </summary>
    public bool Watches(string path)
    {
        var full = System.IO.Path.GetFullPath(path);
        if (_includes.Contains(full)) return true;
        return full.EndsWith(Extension, StringComparison.Ordinal) &&
            string.Equals(System.IO.Path.GetDirectoryName(full), System.IO.Path.GetFullPath(Path).TrimEnd('/'), StringComparison.Ordinal);
    }

    /// <summary>
    /// Files in the directory that are neither zones nor <c>$INCLUDE</c>d by one: a BIND-style <c>db.example.com</c> or a
    /// <c>example.com.db</c> is served by nobody, and says so nowhere unless we do. Hidden files, editors' backups and READMEs are left out.
    /// </summary>
    public IReadOnlyList<string> OtherFiles()
    {
        try
        {
            return [.. Directory.EnumerateFiles(Path).Where(f => !Watches(f))
                .Where(f => System.IO.Path.GetFileName(f) is var name && !name.StartsWith('.') && !name.EndsWith('~') && !name.EndsWith(".swp", StringComparison.Ordinal)
                    && !name.EndsWith(".md", StringComparison.OrdinalIgnoreCase) && !name.StartsWith("README", StringComparison.OrdinalIgnoreCase))
                .Order(StringComparer.Ordinal)];
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return []; // the reload reports an unreadable directory already
        }
    }

    private ZoneSet Publish(ZoneSet set)
    {
        Volatile.Write(ref _current, set);
        return set;
    }

    /// <summary>
    /// The zone a file holds, from its name: <c>example.com.zone</c> is <c>example.com.</c>. Only letters, digits,
    /// '-', '_' and '.' are taken, so that a stray file such as <c>notes (old).zone</c> is reported, not served; a label
    /// may also be <c>*</c> (written as is or, kinder to shells, as <c>%2A</c>): <c>net.*.zone</c> and <c>net.%2A.zone</c>
    /// are both the zone <c>net.*.</c>, which other servers load too.
    /// </summary>
    public static DnsName? Origin(string file, out string error)
    {
        var fileName = System.IO.Path.GetFileName(file);
        var name = fileName[..^Extension.Length].Replace("%2A", "*", StringComparison.OrdinalIgnoreCase);
        if (name.Length == 0 || !name.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.' or '*')
            || name.Split('.').Any(label => label.Contains('*') && label != "*"))
        {
            error = $"file name '{fileName}' is not a domain name followed by {Extension} (only letters, digits, '-', '_', '.' and '*' or %2A as a whole label)";
            return null;
        }
        if (!DnsName.TryParse(name, out var origin, out var problem))
        {
            error = $"file name '{fileName}' is not a domain name: {problem}";
            return null;
        }
        error = "";
        return origin;
    }
}
