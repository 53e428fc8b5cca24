using System.Globalization;
using System.Text;

namespace GeoDns.Configuration;

/// <summary>
/// The Prometheus text format (0.0.4) as both programs write it: a family's HELP and TYPE lines, and samples with their
/// labels escaped. One source file compiled into the server's <c>/metrics</c> and the sidecar's (src/Shared).
/// </summary>
public static class MetricsText
{
    public const string ContentType = "text/plain; version=0.0.4; charset=utf-8";

    public static void Family(StringBuilder text, string name, string type, string help) =>
        text.Append("# HELP ").Append(name).Append(' ').Append(EscapeHelp(help)).Append('\n').Append("# TYPE ").Append(name).Append(' ').Append(type).Append('\n');

    public static void Sample(StringBuilder text, string name, (string Name, string Value)[] labels, double value)
    {
        text.Append(name);
        if (labels.Length > 0)
        {
            text.Append('{');
            for (var i = 0; i < labels.Length; i++)
                text.Append(i > 0 ? "," : "").Append(labels[i].Name).Append("=\"").Append(Escape(labels[i].Value)).Append('"');
            text.Append('}');
        }
        text.Append(' ').Append(value.ToString("0.#########", CultureInfo.InvariantCulture)).Append('\n');
    }

    /// <summary>Label values escape backslash, double quote and newline (names come from configs and other machines).</summary>
    public static string Escape(string value) => value.Replace("\\", "\\\\").Replace("\"", "\\\"").Replace("\n", "\\n");

    /// <summary>HELP text escapes backslash and newline only.</summary>
    private static string EscapeHelp(string help) => help.Replace("\\", "\\\\").Replace("\n", "\\n");
}
