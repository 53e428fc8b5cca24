using System.Text;
using GeoDns.Protocol;

namespace GeoDns.Tsig;

/// <summary>
/// Reads keys in the form <c>tsig-keygen</c> (BIND) and <c>keymgr -t</c> (Knot) write:
/// <c>key "name" { algorithm hmac-sha256; secret "base64"; };</c>, several per file, with
/// <c>#</c>, <c>//</c> and <c>/* */</c> comments. Errors name file and line, never the secret.
/// </summary>
public static class TsigKeyFile
{
    public static IReadOnlyList<TsigKey> Load(string path, List<string> errors, List<string>? warnings = null)
    {
        // A shared secret anyone on the machine can read is no secret: say so (the file is the user's to fix).
        if (!OperatingSystem.IsWindows() && File.Exists(path) && (File.GetUnixFileMode(path) & (UnixFileMode.GroupRead | UnixFileMode.OtherRead)) != 0)
            warnings?.Add($"{path}: TSIG key file is readable by group or others; chmod 600 it");
        string text;
        try { text = File.ReadAllText(path); }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            errors.Add(GeoDns.Files.FileProblem.Describe(path, e));
            return [];
        }
        return Parse(text, path, errors);
    }

    public static IReadOnlyList<TsigKey> Parse(string text, string path, List<string> errors)
    {
        var tokens = Tokens(text);
        var keys = new List<TsigKey>();
        var i = 0;
        string Next() => i < tokens.Count ? tokens[i++].Text : "";
        int Line() => i < tokens.Count ? tokens[i].Line : tokens.Count > 0 ? tokens[^1].Line : 1;
        while (i < tokens.Count)
        {
            var line = Line();
            if (Next() != "key") { errors.Add($"{path}:{line}: expected 'key \"name\" {{ ... }};'"); return keys; }
            var name = Next();
            if (Next() != "{" || !DnsName.TryParse(name, out var keyName, out _)) { errors.Add($"{path}:{line}: expected a key name and '{{'"); return keys; }
            string? algorithm = null, secret = null;
            while (i < tokens.Count && tokens[i].Text != "}")
            {
                var fieldLine = Line();
                var (field, value, semicolon) = (Next(), Next(), Next());
                if (semicolon != ";") { errors.Add($"{path}:{fieldLine}: expected '{field} VALUE;'"); return keys; }
                if (field == "algorithm") algorithm = value;
                else if (field == "secret") secret = value;
                else { errors.Add($"{path}:{fieldLine}: unknown key field '{field}'"); return keys; }
            }
            if (Next() != "}" || Next() != ";") { errors.Add($"{path}:{line}: key \"{name}\" is not closed with '}};'"); return keys; }
            if (TsigKey.ParseAlgorithm(algorithm ?? "") is not { } parsed) { errors.Add($"{path}:{line}: key \"{name}\": algorithm '{algorithm}' is not hmac-sha256 or hmac-sha512"); continue; }
            var bytes = new byte[((secret ?? "").Length * 3 + 3) / 4];
            if (secret is null || !Convert.TryFromBase64String(secret, bytes, out var length) || length == 0)
            {
                errors.Add($"{path}:{line}: key \"{name}\": the secret is missing or not base64");
                continue;
            }
            keys.Add(new TsigKey(keyName, parsed, bytes[..length]));
        }
        return keys;
    }

    private static List<(string Text, int Line)> Tokens(string text)
    {
        var tokens = new List<(string, int)>();
        var line = 1;
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (c == '\n') line++;
            else if (char.IsWhiteSpace(c)) continue;
            else if (c == '#' || (c == '/' && i + 1 < text.Length && text[i + 1] == '/'))
                while (i + 1 < text.Length && text[i + 1] != '\n') i++;
            else if (c == '/' && i + 1 < text.Length && text[i + 1] == '*')
            {
                for (i += 2; i + 1 < text.Length && !(text[i] == '*' && text[i + 1] == '/'); i++)
                    if (text[i] == '\n') line++;
                i++;
            }
            else if (c is '{' or '}' or ';') tokens.Add((c.ToString(), line));
            else if (c == '"')
            {
                var word = new StringBuilder();
                for (i++; i < text.Length && text[i] != '"'; i++) word.Append(text[i]);
                tokens.Add((word.ToString(), line));
            }
            else
            {
                var start = i;
                while (i + 1 < text.Length && !char.IsWhiteSpace(text[i + 1]) && text[i + 1] is not ('{' or '}' or ';' or '"')) i++;
                tokens.Add((text[start..(i + 1)], line));
            }
        }
        return tokens;
    }
}
