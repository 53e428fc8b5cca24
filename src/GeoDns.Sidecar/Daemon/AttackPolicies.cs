namespace GeoDns.Sidecar.Daemon;

/// <summary><c>attack.policy</c>: the action for each kind of verdict.</summary>
public sealed class AttackPolicies
{
    public AttackAction Flood { get; set; } = AttackAction.Rotate;

    public AttackAction Unreachable { get; set; } = AttackAction.Rotate;

    public AttackAction For(AttackKind kind) => kind == AttackKind.Flood ? Flood : Unreachable;
}
