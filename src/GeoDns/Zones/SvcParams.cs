using System.Globalization;

namespace GeoDns.Zones;

/// <summary>
/// The SvcParams of SVCB and HTTPS records (RFC 9460 §2.1, §7): <c>key=value</c> words, encoded as
/// key, length, value, sorted by key (§2.2), each key at most once.
/// </summary>
internal static class SvcParams
{
    private const ushort Mandatory = 0, Alpn = 1, NoDefaultAlpn = 2, Port = 3, Ipv4Hint = 4, Ech = 5, Ipv6Hint = 6;

    private static readonly string[] KeyNames = ["mandatory", "alpn", "no-default-alpn", "port", "ipv4hint", "ech", "ipv6hint"];

    public static void Write(RdataBuilder rdata, TokenCursor tokens)
    {
        var parameters = new SortedDictionary<ushort, byte[]>();
        foreach (var token in tokens.Rest())
        {
            var equals = token.Text.IndexOf('=');
            var name = equals < 0 ? token.Text : token.Text[..equals];
            var key = Key(name);
            // RFC 9460 §2.1: the value is a character-string, so escapes are decoded before the key's own format applies.
            var value = equals < 0 ? null : CharacterString.Decode(token.Text[(equals + 1)..]);
            if (!parameters.TryAdd(key, Value(key, name, value))) throw new FormatException($"SvcParam {name} appears twice");
        }
        if (parameters.ContainsKey(NoDefaultAlpn) && !parameters.ContainsKey(Alpn))
            throw new FormatException("no-default-alpn needs an alpn parameter too (RFC 9460 §7.1.1)");
        if (parameters.TryGetValue(Mandatory, out var mandatory))
            for (var i = 0; i < mandatory.Length; i += 2)
                if (!parameters.ContainsKey((ushort)(mandatory[i] << 8 | mandatory[i + 1])))
                    throw new FormatException($"mandatory lists {KeyName((ushort)(mandatory[i] << 8 | mandatory[i + 1]))}, which the record does not have (RFC 9460 §8)");
        foreach (var (key, value) in parameters)
        {
            rdata.U16(key);
            rdata.U16((ushort)value.Length);
            rdata.Bytes(value);
        }
    }

    private static byte[] Value(ushort key, string name, byte[]? value)
    {
        if (key == NoDefaultAlpn)
            return value is null or [] ? [] : throw new FormatException("no-default-alpn takes no value");
        if (key > Ipv6Hint) return value ?? [];
        if (value is null or []) throw new FormatException($"SvcParam {name} needs a value ({name}=...)");
        var rdata = new RdataBuilder();
        switch (key)
        {
            case Mandatory: // §8: sorted keys, no duplicates, never "mandatory" itself
                var keys = ValueList(value).Select(k => Key(System.Text.Encoding.UTF8.GetString(k))).ToList();
                if (keys.Contains(Mandatory)) throw new FormatException("mandatory must not list itself (RFC 9460 §8)");
                if (keys.Distinct().Count() != keys.Count) throw new FormatException("mandatory lists a key twice");
                foreach (var k in keys.Order()) rdata.U16(k);
                break;
            case Alpn: // §7.1.1: length-prefixed protocol ids, in the order given
                foreach (var id in ValueList(value))
                {
                    if (id.Length is 0 or > 255) throw new FormatException("alpn protocol ids must be 1 to 255 octets");
                    rdata.U8((byte)id.Length);
                    rdata.Bytes(id);
                }
                break;
            case Port:
                var text = System.Text.Encoding.UTF8.GetString(value);
                if (!ushort.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var port))
                    throw new FormatException($"port '{text}' is not a number from 0 to 65535");
                rdata.U16(port);
                break;
            case Ipv4Hint or Ipv6Hint:
                foreach (var address in ValueList(value).Select(a => System.Text.Encoding.UTF8.GetString(a)))
                    rdata.Bytes(key == Ipv4Hint ? AddressText.V4(address, name) : AddressText.V6(address, name));
                break;
            case Ech: // §7.3: an ECHConfigList in base64
                try { rdata.Bytes(Convert.FromBase64String(System.Text.Encoding.UTF8.GetString(value))); }
                catch (FormatException) { throw new FormatException("ech value is not valid base64"); }
                break;
        }
        return rdata.ToArray();
    }

    /// <summary>A SvcParamKey: a name from §14.3.2 or <c>keyNNNNN</c>; key65535 is reserved (§14.3.2).</summary>
    private static ushort Key(string name)
    {
        var index = Array.IndexOf(KeyNames, name.ToLowerInvariant());
        if (index >= 0) return (ushort)index;
        if (name.StartsWith("key", StringComparison.OrdinalIgnoreCase) && name.Length is > 3 and <= 8 && name[3..].All(char.IsAsciiDigit)
            && int.Parse(name[3..], CultureInfo.InvariantCulture) is var number and < ushort.MaxValue)
            return (ushort)number;
        throw new FormatException($"unknown SvcParam key '{name}' (known: {string.Join(", ", KeyNames)}, or keyNNNNN)");
    }

    private static string KeyName(ushort key) => key < KeyNames.Length ? KeyNames[key] : $"key{key}";

    /// <summary>RFC 9460 Appendix A.1: a comma-separated list in which <c>\,</c> and <c>\\</c> stand for themselves.</summary>
    private static List<byte[]> ValueList(byte[] value)
    {
        var items = new List<byte[]>();
        var item = new List<byte>();
        for (var i = 0; i < value.Length; i++)
        {
            if (value[i] == (byte)'\\' && i + 1 < value.Length) item.Add(value[++i]);
            else if (value[i] == (byte)',') { items.Add([.. item]); item.Clear(); }
            else item.Add(value[i]);
        }
        items.Add([.. item]);
        return items;
    }
}
