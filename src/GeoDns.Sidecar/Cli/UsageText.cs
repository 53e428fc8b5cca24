using System.CommandLine;
using System.CommandLine.Help;
using System.Text;

namespace GeoDns.Sidecar.Cli;

/// <summary>
/// The root's <c>--help</c>: every command (<c>wg render</c> too, not only <c>wg</c>) with its arguments, options and
/// one-line description, then the options every command takes; the layout the usage has always had, made from the tree.
/// </summary>
public static class UsageText
{
    private const int Column = 25;

    public static string Of(SidecarCommandLine cli)
    {
        var text = new StringBuilder();
        text.AppendLine(SidecarCommandLine.Description).AppendLine();
        var global = cli.Root.Options.Where(o => o.HelpName is not null).Select(o => $"[{o.Name} {o.HelpName}]");
        text.AppendLine($"Usage: geodns-sidecar {string.Join(' ', global)} COMMAND");
        foreach (var command in cli.Commands) Row(text, cli.Synopsis(command), command.Description);
        text.AppendLine();
        // The options a command takes first, then --version and --help, which stand alone.
        foreach (var option in cli.Root.Options.OrderBy(o => o switch { VersionOption => 1, HelpOption => 2, _ => 0 }))
        {
            var shown = option.HelpName is null ? option.Name : $"{option.Name} {option.HelpName}";
            var fallback = option.HasDefaultValue ? $" (default: {option.GetDefaultValue()})" : "";
            Row(text, shown, option.Description + fallback);
        }
        return text.ToString();
    }

    private static void Row(StringBuilder text, string left, string? description)
    {
        // A long synopsis takes its own line, the description the next, as local-edge's always has.
        if (left.Length > Column - 4) text.AppendLine($"  {left}").AppendLine($"{new string(' ', Column)}{description}");
        else text.AppendLine($"  {left.PadRight(Column - 2)}{description}");
    }
}
