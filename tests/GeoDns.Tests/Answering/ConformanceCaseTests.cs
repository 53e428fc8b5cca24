using ARSoft.Tools.Net.Dns;
using GeoDns.Protocol;
using GeoDns.Testing;

namespace GeoDns.Tests.Answering;

/// <summary>
/// Runs every <c>Cases/*.case</c> file: zones (<c>$ZONE origin</c> then its text), then queries
/// (<c>$QUERY name TYPE RCODE</c>) each followed by the expected answer section as zone-file lines.
/// Cases come from differential runs against BIND, Knot, NSD and PowerDNS.
/// </summary>
public sealed class ConformanceCaseTests
{
    public static TheoryData<string> Cases() =>
        [.. Directory.EnumerateFiles(Path.Combine(AppContext.BaseDirectory, "Answering", "Cases"), "*.case").Select(f => Path.GetFileName(f)).Order()];

    [Theory]
    [MemberData(nameof(Cases))]
    public void Case_AnswersAsThePeersDo(string file)
    {
        var zones = new List<(string Origin, string Text)>();
        var queries = new List<(string Name, string Type, string Rcode, List<string> Answer)>();
        foreach (var line in File.ReadAllLines(Path.Combine(AppContext.BaseDirectory, "Answering", "Cases", file)))
        {
            if (line.StartsWith(';') || line.Length == 0) continue;
            var words = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            if (words[0] == "$ZONE") zones.Add((words[1].TrimEnd('.'), $"$ORIGIN {words[1]}\n"));
            else if (words[0] == "$QUERY") queries.Add((words[1], words[2], words[3], []));
            else if (queries.Count > 0) queries[^1].Answer.Add(line);
            else zones[^1] = (zones[^1].Origin, zones[^1].Text + line + "\n");
        }
        var fixture = new AnswerFixture([.. zones]);
        foreach (var (name, type, rcode, answer) in queries)
        {
            Assert.True(DnsType.TryParse(type, out var qtype), $"{file}: unknown type {type}");
            var reply = fixture.Ask(name, qtype);
            Assert.True(Enum.Parse<ReturnCode>(rcode, ignoreCase: true) == reply.ReturnCode, $"{name} {type}: {reply.ReturnCode}, expected {rcode}");
            Assert.Equal(answer, reply.Answer());
        }
    }
}
