using GeoDns.Testing;
using System.Net;
using GeoDns.Geo;

namespace GeoDns.Tests.Geo;

/// <summary>The cache in front of the reader: same answers, none allocated on a hit.</summary>
public sealed class GeoCacheTests
{
    private static readonly string[] Countries = ["GB", "FR", "DE", "US", "JP", "BR", "ZA", "AU", "IN", "CN"];

    [Fact]
    public void Lookup_AgreesWithTheReaderForRandomAddresses()
    {
        var random = new Random(1234);
        var writer = new MmdbWriter("Test-Country");
        var networks = new List<(byte[] Start, int Length)>();
        for (var i = 0; i < 300; i++)
        {
            // Prefixes on both sides of the /24 and /56 cache blocks, inserted in random order.
            var ipv6 = i % 3 == 0;
            var start = new byte[ipv6 ? 16 : 4];
            random.NextBytes(start);
            if (ipv6) start[0] = 0x20;
            var length = ipv6 ? random.Next(40, 72) : random.Next(16, 30);
            networks.Add((start, length));
            writer.Insert($"{new IPAddress(Masked(start, length))}/{length}", MmdbRecords.CountryCode(Countries[random.Next(Countries.Length)]));
        }
        using var file = new TempMmdb(writer);
        using var database = file.Open();

        var addresses = Enumerable.Range(0, 5000).Select(_ => RandomAddressNear(random, networks[random.Next(networks.Count)].Start)).Where(Ordinary).ToList();
        for (var pass = 0; pass < 2; pass++) // the second pass answers mostly from the cache
            foreach (var address in addresses)
                Assert.Equal(database.Find(address), database.Lookup(address));
    }

    [Fact]
    public void ConcurrentLookups_AgreeWithTheReader()
    {
        var writer = new MmdbWriter("Test-Country");
        for (var i = 0; i < 256; i++) writer.Insert($"101.{i}.0.0/16", MmdbRecords.CountryCode(Countries[i % Countries.Length]));
        using var file = new TempMmdb(writer);
        using var database = file.Open();
        var addresses = Enumerable.Range(0, 20_000).Select(i => new IPAddress([101, (byte)(i % 256), (byte)(i / 256), 1])).ToArray();
        var expected = addresses.Select(database.Find).ToArray();

        // Many threads filling and reading the same slots at once.
        Parallel.For(0, 4 * addresses.Length, new ParallelOptions { MaxDegreeOfParallelism = 8 }, i =>
        {
            var at = i * 7919 % addresses.Length;
            Assert.Equal(expected[at], database.Lookup(addresses[at]));
        });
    }

    [Theory]
    [InlineData("81.0.0.0/24", "81.0.0.128/25", "81.0.0.1", "81.0.0.200")]
    [InlineData("2001:db8::/48", "2001:db8:0:80::/57", "2001:db8::1", "2001:db8:0:ff::1")]
    public void NetworkSmallerThanTheCacheBlock_IsNotCachedForTheWholeBlock(string block, string smaller, string inBlock, string inSmaller)
    {
        var writer = new MmdbWriter("Test-Country").Insert(block, MmdbRecords.CountryCode("GB")).Insert(smaller, MmdbRecords.CountryCode("FR"));
        using var file = new TempMmdb(writer);
        using var database = file.Open();

        Assert.Equal("GB", database.Lookup(IPAddress.Parse(inBlock)).Country);
        Assert.Equal("FR", database.Lookup(IPAddress.Parse(inSmaller)).Country);
        Assert.Equal("GB", database.Lookup(IPAddress.Parse(inBlock)).Country);
    }

    [Theory]
    [InlineData("81.2.69.1")]
    [InlineData("::ffff:81.2.69.1")]
    [InlineData("2001:db8::1")]
    [InlineData("81.2.70.1")] // not in the database: the miss is cached too
    public void CachedLookup_AllocatesNothing(string text)
    {
        var writer = new MmdbWriter("Test-City")
            .Insert("81.2.69.0/24", MmdbRecords.City("London", 51.5, -0.13, "GB", "EU"))
            .Insert("2001:db8::/32", MmdbRecords.CountryCode("NL"));
        using var file = new TempMmdb(writer);
        using var database = file.Open();
        var address = IPAddress.Parse(text);
        for (var i = 0; i < 10; i++) database.Lookup(address);

        var before = GC.GetAllocatedBytesForCurrentThread();
        var prefixes = 0;
        for (var i = 0; i < 1000; i++) prefixes += database.Lookup(address).PrefixLength;
        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        Assert.Equal(0, allocated);
        Assert.True(prefixes > 0);
    }

    private static byte[] Masked(byte[] address, int length)
    {
        var masked = (byte[])address.Clone();
        for (var bit = length; bit < masked.Length * 8; bit++) masked[bit >> 3] &= (byte)~(0x80 >> (bit & 7));
        return masked;
    }

    /// <summary>Special-use addresses are never located (SpecialAddresses), so the reader and the cache rightly differ there.</summary>
    private static bool Ordinary(IPAddress address) => GeoDns.Geo.SpecialAddresses.Prefix(address.GetAddressBytes()) < 0;

    /// <summary>Shares a random number of leading bits with <paramref name="start"/>: inside, beside or around its network.</summary>
    private static IPAddress RandomAddressNear(Random random, byte[] start)
    {
        var address = new byte[start.Length];
        random.NextBytes(address);
        var keep = random.Next(8, start.Length * 8);
        for (var bit = 0; bit < keep; bit++)
        {
            var mask = (byte)(0x80 >> (bit & 7));
            address[bit >> 3] = (byte)((address[bit >> 3] & ~mask) | (start[bit >> 3] & mask));
        }
        return new IPAddress(address);
    }
}
