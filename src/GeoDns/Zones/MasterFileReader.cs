using System.Text;
using GeoDns.Memory;
using GeoDns.Protocol;

namespace GeoDns.Zones;

/// <summary>
/// Reads the records of one master file and the files it includes (RFC 1035 §5.1), collecting a
/// <see cref="ZoneError"/> per bad entry and going on, so one pass reports every syntax error.
/// </summary>
internal sealed class MasterFileReader
{
    /// <summary>How deep <c>$INCLUDE</c> may nest; deeper is almost surely a file including itself.</summary>
    public const int MaxIncludeDepth = 8;

    private readonly List<ResourceRecord> _records = [];
    private readonly List<ZoneError> _errors = [];
    private uint? _defaultTtl; // $TTL (RFC 2308 §4)
    private uint? _lastTtl;    // RFC 1035 §5.1: without $TTL a record inherits the last TTL written

    public IReadOnlyList<ResourceRecord> Records => _records;

    public IReadOnlyList<ZoneError> Errors => _errors;

    /// <summary>Every file named by an <c>$INCLUDE</c>, full path, read or not: a change to one is a change to the zone.</summary>
    public List<string> Included { get; } = [];

    /// <summary>The directory of the zone file read first: <c>$INCLUDE</c> reads nothing outside it.</summary>
    private string? _root;

    /// <summary><see cref="_root"/> with its symbolic links resolved: the zone directory may itself be reached through one.</summary>
    private string? _realRoot;

    public void Read(string text, string file, string? directory, byte[] origin, int depth)
    {
        if (depth == 0 && directory is not null) (_root, _realRoot) = (Path.GetFullPath(directory), RealPath(directory));
        DnsName? owner = null;
        foreach (var entry in new MasterFileTokenizer(text).Entries())
        {
            CollectionPacer.Step();
            if (entry.Error is not null)
            {
                _errors.Add(new ZoneError(file, entry.ErrorLine, entry.Error));
                continue;
            }
            var tokens = new TokenCursor(entry.Tokens, entry.Line);
            try
            {
                if (!entry.BlankOwner && entry.Tokens[0] is { Quoted: false } first && first.Text.StartsWith('$'))
                {
                    origin = Directive(tokens, file, directory, origin, depth);
                    continue;
                }
                if (!entry.BlankOwner) owner = PresentationName.ToName(tokens.NextWord("owner name"), origin, "owner name");
                if (owner is null) throw new FormatException("the line starts with a blank, which repeats the previous owner, but there is none yet");
                _records.Add(Record(tokens, owner, origin, new RecordSource(file, entry.Line)));
            }
            catch (FormatException e)
            {
                _errors.Add(new ZoneError(file, tokens.Line, e.Message));
            }
        }
    }

    /// <summary>After the owner: TTL and class in either order, both optional (RFC 1035 §5.1), then type and RDATA.</summary>
    private ResourceRecord Record(TokenCursor tokens, DnsName owner, byte[] origin, RecordSource source)
    {
        uint? ttl = null;
        var hasClass = false;
        string word;
        while (true)
        {
            word = tokens.NextWord("record type");
            if (char.IsAsciiDigit(word[0]))
            {
                if (ttl is not null) throw new FormatException($"second TTL '{word}' (a record has one TTL)");
                ttl = TtlValue.Parse(word, "TTL");
            }
            else if (IsClass(word))
            {
                if (hasClass) throw new FormatException($"second class '{word}' (a record has one class)");
                if (!word.Equals("IN", StringComparison.OrdinalIgnoreCase) && !word.Equals("CLASS1", StringComparison.OrdinalIgnoreCase))
                    throw new FormatException($"class {word.ToUpperInvariant()} is not supported; GeoDns serves class IN only");
                hasClass = true;
            }
            else break;
        }
        if (!RecordTypeName.TryParse(word, out var type)) throw new FormatException($"unknown record type '{word}'");
        if (RecordTypeName.IsMeta(type)) throw new FormatException($"type {word.ToUpperInvariant()} is a query or meta type and cannot be in a zone file");
        if (ttl is not null) _lastTtl = ttl;
        var effectiveTtl = ttl ?? _defaultTtl ?? _lastTtl
            ?? throw new FormatException("record has no TTL and there is no $TTL line before it");
        var data = tokens.Peek() is { Quoted: false, Text: @"\#" } ? GenericRdata.Parse(type, tokens)
            : RecordTypeName.HasTextForm(type) ? RdataEncoder.Encode(type, tokens, origin)
            : throw new FormatException($@"type {word.ToUpperInvariant()} is not supported in text form; write it in RFC 3597 form (\# len hex)");
        return new ResourceRecord(owner, type, effectiveTtl, data, source);
    }

    /// <summary>RFC 1035 §3.2.4 classes, RFC 2136 NONE and RFC 3597 §5 CLASSnnn; any of them but IN is an error here.
    /// ANY is left out: it is also a type mnemonic, and as either it is rejected.</summary>
    private static bool IsClass(string word) =>
        word.ToUpperInvariant() is "IN" or "CH" or "CS" or "HS" or "NONE"
        || (word.StartsWith("CLASS", StringComparison.OrdinalIgnoreCase) && word.Length > 5 && word[5..].All(char.IsAsciiDigit));

    /// <summary>Applies a directive and returns the origin for the lines after it.</summary>
    private byte[] Directive(TokenCursor tokens, string file, string? directory, byte[] origin, int depth)
    {
        var directive = tokens.NextWord("directive").ToUpperInvariant();
        switch (directive)
        {
            case "$ORIGIN":
                var newOrigin = PresentationName.ToWire(tokens.NextWord("$ORIGIN name"), origin, "$ORIGIN name");
                tokens.ExpectEnd("$ORIGIN name");
                return newOrigin;
            case "$TTL":
                _defaultTtl = TtlValue.Parse(tokens.NextWord("$TTL value"), "$TTL");
                tokens.ExpectEnd("$TTL value");
                return origin;
            case "$INCLUDE":
                Include(tokens, directory, origin, depth);
                return origin;
            default:
                throw new FormatException($"unknown directive {directive} (supported: $ORIGIN, $TTL, $INCLUDE)");
        }
    }

    /// <summary>RFC 1035 §5.1: <c>$INCLUDE file [origin]</c>; the origin given applies to that file only, and the
    /// including file's origin and owner carry on after it. The path is relative to the including file.</summary>
    private void Include(TokenCursor tokens, string? directory, byte[] origin, int depth)
    {
        var name = Encoding.UTF8.GetString(CharacterString.Decode(tokens.Next("$INCLUDE file name").Text));
        var includeOrigin = tokens.AtEnd ? origin : PresentationName.ToWire(tokens.NextWord("$INCLUDE origin"), origin, "$INCLUDE origin");
        tokens.ExpectEnd("$INCLUDE origin");
        if (directory is null) throw new FormatException("$INCLUDE needs the zone to be loaded from a file, to know where to look");
        if (depth >= MaxIncludeDepth) throw new FormatException($"$INCLUDE nested more than {MaxIncludeDepth} deep; does a file include itself?");
        var path = Path.Combine(directory, name);
        // A zone file names what the server reads: it must not reach past the zone directory (/etc/shadow, the TSIG keys,
        // the admin token), by name nor through a symbolic link (to the file, or to a directory on its way) in it. The
        // file read is the one checked: its path with every link resolved.
        var real = RealPath(path);
        if (_root is not null && !Path.GetFullPath(path).StartsWith(_root + Path.DirectorySeparatorChar, StringComparison.Ordinal))
            throw new FormatException($"$INCLUDE '{name}' is outside the zone directory {_root}; include files must live in it");
        if (_realRoot is not null && !real.StartsWith(_realRoot.TrimEnd(Path.DirectorySeparatorChar) + Path.DirectorySeparatorChar, StringComparison.Ordinal))
            throw new FormatException($"$INCLUDE '{name}' is outside the zone directory {_root} (a symbolic link leads to {real}); include files must live in it");
        Included.Add(Path.GetFullPath(path));
        string text;
        try
        {
            text = File.ReadAllText(real);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentException or NotSupportedException)
        {
            throw new FormatException($"cannot read $INCLUDE file '{path}': {e.Message}");
        }
        Read(text, path, Path.GetDirectoryName(path), includeOrigin, depth + 1);
    }

    /// <summary>Past this many links on one path, as Linux's ELOOP: a loop of links.</summary>
    private const int MaxLinks = 40;

    /// <summary>
    /// <paramref name="path"/> with every symbolic link in it resolved, as realpath(3) does (Path.GetFullPath only
    /// removes <c>.</c> and <c>..</c> by name, as .NET opens files). Parts that do not exist are kept as named: reading
    /// them fails later, with its own error.
    /// </summary>
    private static string RealPath(string path)
    {
        var full = Path.GetFullPath(path);
        var current = Path.GetPathRoot(full)!;
        var pending = new Stack<string>(full[current.Length..].Split(Path.DirectorySeparatorChar, StringSplitOptions.RemoveEmptyEntries).Reverse());
        var links = 0;
        while (pending.TryPop(out var part))
        {
            if (part == ".") continue;
            if (part == "..")
            {
                current = Path.GetDirectoryName(current) ?? current;
                continue;
            }
            var next = Path.Join(current, part);
            string? target;
            try { target = new FileInfo(next).LinkTarget; }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException) { target = null; } // unreadable: opening it fails later
            if (target is null)
            {
                current = next;
                continue;
            }
            if (++links > MaxLinks) throw new FormatException($"more than {MaxLinks} symbolic links on the way to '{path}'");
            // The target's parts come next; an absolute target starts again from the root, a relative one from the link's directory.
            if (Path.IsPathRooted(target)) current = Path.GetPathRoot(target)!;
            foreach (var p in target[(Path.IsPathRooted(target) ? Path.GetPathRoot(target)!.Length : 0)..].Split(Path.DirectorySeparatorChar, StringSplitOptions.RemoveEmptyEntries).Reverse())
                pending.Push(p);
        }
        return current;
    }
}
