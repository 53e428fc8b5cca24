using System.Net;
using System.Net.Sockets;
using MaxMind.Db;

namespace GeoDns.Geo;

/// <summary>
/// An open MaxMind DB (.mmdb) file: GeoIP2/GeoLite2 City or Country, or a country-only database
/// whose records hold <c>country_code</c>. Lookups are thread-safe; repeated lookups from the same
/// /24 (IPv4) or /56 (IPv6) come from a cache and allocate nothing.
/// </summary>
public sealed class GeoDatabase : IDisposable
{
    private readonly Reader _reader;
    private readonly GeoCache _cache = new();

    private GeoDatabase(string path, Reader reader)
    {
        Path = path;
        _reader = reader;
        BuildTime = new DateTimeOffset(DateTime.SpecifyKind(reader.Metadata.BuildDate, DateTimeKind.Utc));
        DatabaseType = reader.Metadata.DatabaseType;
    }

    public string Path { get; }
    public DateTimeOffset BuildTime { get; }
    public string DatabaseType { get; }

    /// <summary>Opens <paramref name="path"/>; null and a message saying why when it is missing, unreadable or not a MaxMind DB.</summary>
    public static GeoDatabase? TryOpen(string path, out string error)
    {
        if (!File.Exists(path))
        {
            error = $"geo database '{path}' does not exist";
            return null;
        }
        try
        {
            // Loaded into memory rather than mapped: a file replaced or truncated in place under a
            // mapping would crash the process (SIGBUS), and a City database is only tens of MB.
            var reader = new Reader(path, FileAccessMode.Memory);
            error = "";
            return new GeoDatabase(path, reader);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            error = $"geo database '{path}' cannot be read: {e.Message}";
        }
        catch (Exception e) when (e is InvalidDatabaseException or DeserializationException or ArgumentException or InvalidOperationException)
        {
            error = $"geo database '{path}' is not a MaxMind DB file: {e.Message}";
        }
        return null;
    }

    /// <summary>The location of <paramref name="address"/>; IPv4-mapped IPv6 addresses are looked up as IPv4.</summary>
    public GeoLocation Lookup(IPAddress address)
    {
        Span<byte> bytes = stackalloc byte[16];
        address.TryWriteBytes(bytes, out var length);
        return Lookup(bytes[..length]);
    }

    /// <summary>
    /// The location of an address given as its 4 or 16 bytes in network order, as it comes in a
    /// packet or an ECS option; IPv4-mapped IPv6 addresses are looked up as IPv4.
    /// </summary>
    public GeoLocation Lookup(ReadOnlySpan<byte> address)
    {
        if (address.Length is not (4 or 16)) throw new ArgumentException($"an address has 4 or 16 bytes, not {address.Length}", nameof(address));
        if (address.Length == 16 && address[..10].IndexOfAnyExcept((byte)0) < 0 && address[10] == 0xFF && address[11] == 0xFF) address = address[12..];
        if (SpecialAddresses.Prefix(address) is var special and >= 0) return GeoLocation.Unknown(special);
        var key = GeoCache.KeyOf(address);
        if (_cache.TryGet(key, out var cached)) return cached;

        var location = Find(new IPAddress(address));
        // The answer holds for the whole cached block only if the matched network covers it.
        if (location.PrefixLength <= (address.Length == 4 ? GeoCache.Ipv4KeyPrefix : GeoCache.Ipv6KeyPrefix)) _cache.Store(key, location);
        return location;
    }

    /// <summary>The reader's answer, bypassing the cache. IPv4-mapped addresses must already be IPv4.</summary>
    internal GeoLocation Find(IPAddress address)
    {
        // An IPv4-only database cannot place an IPv6 client, whatever its address.
        if (address.AddressFamily == AddressFamily.InterNetworkV6 && _reader.Metadata.IPVersion == 4)
            return GeoLocation.Unknown(0);
        try
        {
            var record = _reader.Find<GeoRecord>(address, out var prefixLength);
            return record?.ToLocation(prefixLength) ?? GeoLocation.Unknown(prefixLength);
        }
        catch (Exception e) when (e is InvalidDatabaseException or DeserializationException or ObjectDisposedException)
        {
            // A damaged record, or a lookup that raced Dispose during a reload: answer as if the
            // address were unknown rather than fail the query.
            return GeoLocation.Unknown(0);
        }
    }

    /// <summary>Lookups still running, or made after, answer unknown for addresses not already cached.</summary>
    public void Dispose() => _reader.Dispose();
}
