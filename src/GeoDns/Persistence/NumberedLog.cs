using LiteDB;

namespace GeoDns.Persistence;

/// <summary>
/// A collection of messages numbered 1, 2, 3... by us, not by LiteDB (the caller needs the number back at once), of
/// which the newest <c>retention</c> are kept: each add deletes what fell out.
/// </summary>
internal sealed class NumberedLog(ILiteCollection<BsonDocument> rows, int retention)
{
    private readonly Lock _adding = new();
    private int _lastId = rows.Count() == 0 ? 0 : rows.Max().AsInt32;

    /// <summary>Stores <paramref name="document"/> under the next number, which it returns.</summary>
    public int Add(BsonDocument document)
    {
        lock (_adding)
        {
            var id = ++_lastId;
            document["_id"] = id;
            rows.Insert(document);
            rows.DeleteMany("$._id <= @0", id - retention);
            return id;
        }
    }

    public void Replace(int id, BsonDocument document)
    {
        document["_id"] = id;
        rows.Update(document);
    }

    public IEnumerable<BsonDocument> Newest(int take) => rows.Query().OrderByDescending("_id").Limit(take).ToEnumerable();
}
