namespace GeoDns.Sidecar.Hooks;

/// <summary>How a command ended. <see cref="ExitCode"/> is null when it was killed for running too long.</summary>
public sealed record ShellResult(int? ExitCode, string Stdout, string Stderr, TimeSpan Took)
{
    public bool Succeeded => ExitCode == 0;
    public bool TimedOut => ExitCode is null;

    /// <summary>One line for a log or a journal: the exit and the last line the command wrote to stderr.</summary>
    public string Describe()
    {
        var last = Stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).LastOrDefault();
        var how = TimedOut ? $"killed after {Took.TotalSeconds:0.#} s" : $"exit {ExitCode}";
        return last is null ? how : $"{how}: {last}";
    }
}
