using System.CommandLine;
using System.CommandLine.Invocation;

namespace GeoDns.Sidecar.Cli;

/// <summary>
/// <c>--help</c>: the root's help is <see cref="UsageText"/> (every command on one page, as the docs list them); a
/// command's own (<c>rotate --help</c>) is System.CommandLine's, which shows its arguments in detail.
/// </summary>
public sealed class UsageAction(SidecarCommandLine cli, CommandLineAction standard) : SynchronousCommandLineAction
{
    public override bool ClearsParseErrors => true;

    public override int Invoke(ParseResult parseResult)
    {
        if (parseResult.CommandResult.Command is RootCommand)
        {
            parseResult.InvocationConfiguration.Output.Write(UsageText.Of(cli));
            return 0;
        }
        return standard is SynchronousCommandLineAction help ? help.Invoke(parseResult) : 0;
    }
}
