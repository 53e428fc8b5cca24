namespace GeoDns.Sidecar.Tests;

/// <summary>
/// Tests that build the programs in Release through the repository's scripts (one restore at a time:
/// they share the projects' obj/ directories), or that hold the README's fixed ports 5353 and 8053.
/// </summary>
[CollectionDefinition(Name)]
public sealed class ReleaseBuilds
{
    public const string Name = "Release builds and the README's ports";
}
