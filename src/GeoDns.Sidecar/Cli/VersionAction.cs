using System.CommandLine;
using System.CommandLine.Invocation;
using GeoDns.Configuration;

namespace GeoDns.Sidecar.Cli;

/// <summary><c>--version</c>: <c>geodns-sidecar VERSION</c>, the line scripts and the release checks read.</summary>
public sealed class VersionAction : SynchronousCommandLineAction
{
    public override int Invoke(ParseResult parseResult)
    {
        parseResult.InvocationConfiguration.Output.WriteLine($"geodns-sidecar {ProgramVersion.Text}");
        return 0;
    }
}
