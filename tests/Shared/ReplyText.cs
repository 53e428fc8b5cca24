using ARSoft.Tools.Net.Dns;

namespace GeoDns.Testing;

/// <summary>Reads replies with ARSoft's independent decoder and writes records as zone-file lines.</summary>
public static class ReplyText
{
    public static DnsMessage Parse(byte[] reply) => DnsMessage.Parse(new ArraySegment<byte>(reply));

    public static string[] Lines(IEnumerable<DnsRecordBase> records) => records.Select(r => r.ToString()).ToArray();

    public static string[] Answer(this DnsMessage message) => Lines(message.AnswerRecords);

    public static string[] Authority(this DnsMessage message) => Lines(message.AuthorityRecords);

    /// <summary>Additional records without the OPT pseudo-record.</summary>
    public static string[] Additional(this DnsMessage message) => Lines(message.AdditionalRecords.Where(r => r.RecordType != RecordType.Opt));
}
