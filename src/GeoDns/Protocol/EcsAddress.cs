using System.Runtime.CompilerServices;

namespace GeoDns.Protocol;

/// <summary>Sixteen address bytes held inline in <see cref="Query"/>, so reading ECS allocates nothing.</summary>
[InlineArray(16)]
public struct EcsAddress
{
    private byte _first;
}
