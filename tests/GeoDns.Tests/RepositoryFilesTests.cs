using System.Text;
using System.Text.RegularExpressions;

namespace GeoDns.Tests;

/// <summary>
/// The compose file reads the admin token from <c>.env</c> beside it. That file must never be committed nor end
/// up in an image layer: <c>.gitignore</c> and <c>.dockerignore</c> both leave it out, and the Dockerfile's
/// <c>COPY . .</c> (the whole build context) can only bring in what <c>.dockerignore</c> lets through. The
/// ignore files are evaluated as git and docker do (patterns in order, the last match wins, <c>!</c> re-includes),
/// so a later <c>!.env</c> or a broadened re-include fails here too.
/// </summary>
public sealed class RepositoryFilesTests
{
    private static readonly string Root = ArchitectureTests.RepositoryRoot();

    [Fact]
    public void DotEnv_IsIgnoredByGit()
    {
        var patterns = File.ReadAllLines(Path.Combine(Root, ".gitignore"));
        Assert.True(IsExcluded(patterns, ".env", gitSemantics: true), ".gitignore must leave out .env (the compose admin token)");
    }

    [Fact]
    public void DotEnv_IsIgnoredByDocker()
    {
        var patterns = File.ReadAllLines(Path.Combine(Root, ".dockerignore"));
        Assert.True(IsExcluded(patterns, ".env", gitSemantics: false), ".dockerignore must leave out .env (the compose admin token)");
    }

    [Fact]
    public void Dockerfile_CopiesFromTheRepositoryRootContext_WhereDockerignoreLeavesOutDotEnv()
    {
        // The compose file builds deploy/Dockerfile with the repository root as context, so the root's
        // .dockerignore is the one applied; a deploy/Dockerfile.dockerignore would take its place.
        var compose = File.ReadAllText(Path.Combine(Root, "docker-compose.yml"));
        Assert.Matches(@"(?m)^\s*context:\s*\.\s*$", compose);
        Assert.Matches(@"(?m)^\s*dockerfile:\s*deploy/Dockerfile\s*$", compose);
        var specific = Path.Combine(Root, "deploy", "Dockerfile.dockerignore");
        if (File.Exists(specific))
            Assert.True(IsExcluded(File.ReadAllLines(specific), ".env", gitSemantics: false), "deploy/Dockerfile.dockerignore must leave out .env");

        var dockerignore = File.ReadAllLines(Path.Combine(Root, ".dockerignore"));
        var copies = Instructions(Path.Combine(Root, "deploy", "Dockerfile"))
            .Where(i => i.Keyword is "COPY" or "ADD")
            .Where(i => !i.Arguments.Any(a => a.StartsWith("--from=", StringComparison.OrdinalIgnoreCase)))
            .ToList();
        Assert.NotEmpty(copies);
        foreach (var copy in copies)
        {
            var sources = copy.Arguments.Where(a => !a.StartsWith("--", StringComparison.Ordinal)).SkipLast(1).ToList();
            Assert.NotEmpty(sources);
            foreach (var source in sources)
            {
                var path = source is "." or "./" or "/" ? "" : source.StartsWith("./", StringComparison.Ordinal) ? source[2..] : source.TrimStart('/');
                Assert.False(path == ".env" || path.EndsWith("/.env", StringComparison.Ordinal), $"'{copy.Line}' names .env");
                // A source that is the context itself, or a wildcard, would take .env along unless .dockerignore
                // removes it from the context first.
                var coversDotEnv = path.Length == 0 || path.Contains('*') || path.Contains('?');
                if (coversDotEnv)
                    Assert.True(IsExcluded(dockerignore, ".env", gitSemantics: false), $"'{copy.Line}' would copy .env into the image");
            }
        }
    }

    [Fact]
    public void IgnoreEvaluator_LastMatchWins()
    {
        Assert.True(IsExcluded([".env"], ".env", gitSemantics: false));
        Assert.False(IsExcluded([".env", "!.env"], ".env", gitSemantics: false));
        Assert.False(IsExcluded(["# .env", "bin/"], ".env", gitSemantics: true));
        Assert.True(IsExcluded(["*", "!src/"], ".env", gitSemantics: false));
        Assert.True(IsExcluded(["/.env"], ".env", gitSemantics: true));
        Assert.True(IsExcluded([".*"], ".env", gitSemantics: true));
    }

    /// <summary>
    /// Whether <paramref name="path"/> (relative to the root) ends up excluded. Git matches a pattern without a
    /// slash at any depth; docker matches patterns from the context root (with <c>**</c> for any depth). For a
    /// file at the root, both read the same.
    /// </summary>
    private static bool IsExcluded(IEnumerable<string> lines, string path, bool gitSemantics)
    {
        var excluded = false;
        foreach (var raw in lines)
        {
            var line = raw.Trim();
            if (line.Length == 0 || line.StartsWith('#')) continue;
            var negate = line.StartsWith('!');
            if (negate) line = line[1..];
            if (line.EndsWith('/')) continue; // a directory pattern: never the file itself
            var anchored = line.Contains('/') || !gitSemantics;
            line = line.TrimStart('/');
            var regex = new StringBuilder(anchored ? "^" : "^(?:.*/)?");
            for (var i = 0; i < line.Length; i++)
            {
                if (line[i] == '*' && i + 1 < line.Length && line[i + 1] == '*')
                {
                    regex.Append(".*");
                    i++;
                    if (i + 1 < line.Length && line[i + 1] == '/') i++;
                }
                else if (line[i] == '*') regex.Append("[^/]*");
                else if (line[i] == '?') regex.Append("[^/]");
                else regex.Append(Regex.Escape(line[i].ToString()));
            }
            regex.Append('$');
            if (Regex.IsMatch(path, regex.ToString())) excluded = !negate;
        }
        return excluded;
    }

    private sealed record Instruction(string Keyword, string[] Arguments, string Line);

    /// <summary>The Dockerfile's instructions, continuation lines joined, comments dropped.</summary>
    private static IEnumerable<Instruction> Instructions(string dockerfile)
    {
        var pending = new StringBuilder();
        foreach (var raw in File.ReadAllLines(dockerfile))
        {
            var line = raw.Trim();
            if (line.StartsWith('#')) continue;
            if (line.EndsWith('\\'))
            {
                pending.Append(line[..^1]).Append(' ');
                continue;
            }
            pending.Append(line);
            var full = pending.ToString().Trim();
            pending.Clear();
            if (full.Length == 0) continue;
            var words = full.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            yield return new Instruction(words[0].ToUpperInvariant(), words[1..], full);
        }
    }
}
