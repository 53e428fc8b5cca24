using System.Text.RegularExpressions;

namespace GeoDns.Sidecar.Nginx;

/// <summary>
/// An nginx.conf with <c>{{name}}</c> placeholders. Rendering refuses to leave one unfilled: a
/// typo in a template must fail at the sidecar, not as a broken config on a fresh edge.
/// </summary>
public sealed partial class NginxTemplate(string name, string text)
{
    public string Name { get; } = name;
    public string Text { get; } = text;

    /// <summary>The template built in for <paramref name="mode"/> (deploy/edge/nginx-*.conf.template).</summary>
    public static NginxTemplate BuiltIn(NginxMode mode)
    {
        var file = mode == NginxMode.Tls ? "nginx-tls.conf.template" : "nginx-passthrough.conf.template";
        using var stream = typeof(NginxTemplate).Assembly.GetManifestResourceStream("GeoDns.Sidecar.Templates." + file)
            ?? throw new InvalidOperationException($"template {file} is not built into the sidecar");
        return new NginxTemplate(file, new StreamReader(stream).ReadToEnd());
    }

    /// <summary>The file at <paramref name="path"/> when set, else the built-in one.</summary>
    public static Outcome<NginxTemplate> Load(NginxOptions options)
    {
        if (options.Template is not { } path) return Outcome<NginxTemplate>.Success(BuiltIn(options.Mode));
        try
        {
            return Outcome<NginxTemplate>.Success(new NginxTemplate(path, File.ReadAllText(path)));
        }
        catch (IOException e)
        {
            return Outcome<NginxTemplate>.Failed($"nginx.template: {e.Message}");
        }
    }

    public Outcome<string> Render(IReadOnlyDictionary<string, string> values)
    {
        var missing = new SortedSet<string>(StringComparer.Ordinal);
        var text = Placeholder().Replace(Text, m =>
        {
            if (values.TryGetValue(m.Groups[1].Value, out var value)) return value;
            missing.Add(m.Groups[1].Value);
            return m.Value;
        });
        return missing.Count == 0
            ? Outcome<string>.Success(text)
            : Outcome<string>.Failed($"{Name}: no value for {string.Join(", ", missing.Select(m => "{{" + m + "}}"))} (set it under nginx.variables)");
    }

    [GeneratedRegex(@"\{\{\s*([A-Za-z0-9_]+)\s*\}\}")]
    private static partial Regex Placeholder();
}
