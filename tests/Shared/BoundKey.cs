namespace GeoDns.Testing;

/// <summary>A key the config loader binds: its path as the reference writes it (<c>pools[].probe.interval</c>), its .NET type, and the options class's default.</summary>
public sealed record BoundKey(string Path, Type Type, object? Default);
