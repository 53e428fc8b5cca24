namespace GeoDns.Sidecar.Rotation;

public enum RotationStatus
{
    /// <summary>In progress, or interrupted (a restarted sidecar resumes it).</summary>
    Running,

    /// <summary>A step failed after its retries; the old edge still serves. <c>rotate EDGE</c> retries from that step.</summary>
    Failed,

    Completed,
}
