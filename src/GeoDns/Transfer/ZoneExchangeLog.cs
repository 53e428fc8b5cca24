using Microsoft.Extensions.Logging;

namespace GeoDns.Transfer;

/// <summary>The <see cref="ZoneExchange"/>'s log lines.</summary>
internal static partial class ZoneExchangeLog
{
    private const string Held = " ({Held} more exchange warning(s) held back since the last line)";

    [LoggerMessage(LogLevel.Warning, "TSIG from {Client} with key {Key} failed: error {Error} (16 BADSIG, 17 BADKEY, 18 BADTIME, 22 BADTRUNC)" + Held)]
    public static partial void LogTsigFailed(ILogger log, long held, string client, string key, ushort error);

    [LoggerMessage(LogLevel.Warning, "{Type} of {Zone} refused to {Client} (key {Key})" + Held)]
    public static partial void LogTransferRefused(ILogger log, long held, string type, string zone, string client, string key);

    [LoggerMessage(LogLevel.Information, "{Type} of {Zone} serial {Serial} to {Client}")]
    public static partial void LogTransfer(ILogger log, string type, string zone, uint serial, string client);

    [LoggerMessage(LogLevel.Information, "UPDATE of {Zone} by key {Key}: {Count} change(s) from {Client}")]
    public static partial void LogUpdated(ILogger log, string zone, string key, int count, string client);

    [LoggerMessage(LogLevel.Warning, "UPDATE of {Zone} from {Client} (key {Key}) refused: {Reason}" + Held)]
    public static partial void LogUpdateRefused(ILogger log, long held, string zone, string client, string key, string reason);

    [LoggerMessage(LogLevel.Warning, "NOTIFY for {Zone} from {Client} refused: not a primary of ours, or not signed with the zone's key" + Held)]
    public static partial void LogNotifyRefused(ILogger log, long held, string zone, string client);

    [LoggerMessage(LogLevel.Error, "UPDATE of {Zone} not stored, answered SERVFAIL, nothing changed: {Problem}. UPDATEs fail until the data directory can be written; everything else is served")]
    public static partial void LogStorageFailed(ILogger log, Exception exception, string zone, string problem);

    [LoggerMessage(LogLevel.Information, "UPDATE of {Zone} stored again: the data directory can be written")]
    public static partial void LogStorageRecovered(ILogger log, string zone);

    [LoggerMessage(LogLevel.Error, "Journal of {Zone}: {Damage}")]
    public static partial void LogJournalDamaged(ILogger log, string zone, string damage);

    [LoggerMessage(LogLevel.Error, "Dynamic records not loaded: {Error}")]
    public static partial void LogDynamicUnreadable(ILogger log, string error);
}
