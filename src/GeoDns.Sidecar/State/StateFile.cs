using System.Text.Json;
using GeoDns.Storage;
using LiteDB;
using JsonSerializer = System.Text.Json.JsonSerializer;

namespace GeoDns.Sidecar.State;

/// <summary>
/// The sidecar's LiteDB file (<c>DATA/sidecar.db</c>): private keys, known edges, the rotation
/// journal, each edge's signals history. Owner-only (it holds keys); <see cref="LiteFile"/>'s lock keeps a second sidecar out,
/// since two rotations at once could both create a VPS.
/// </summary>
public sealed class StateFile : IDisposable
{
    public const string FileName = "sidecar.db";

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        Converters = { new System.Text.Json.Serialization.JsonStringEnumConverter() },
    };

    private readonly LiteFile _file;
    private readonly LiteDatabase _db;

    private StateFile(LiteFile file, string path)
    {
        (_file, _db, Path) = (file, file.Database, path);
    }

    public string Path { get; }

    /// <summary>Opens (or creates) the state in <paramref name="directory"/>; a failure, such as a running daemon holding it, is a value.</summary>
    public static Outcome<StateFile> Open(string directory)
    {
        var path = System.IO.Path.Combine(System.IO.Path.GetFullPath(directory), FileName);
        try
        {
            return Outcome<StateFile>.Success(new StateFile(new LiteFile(path, ownerOnly: true), path));
        }
        catch (IOException e)
        {
            return Outcome<StateFile>.Failed($"cannot open the sidecar state {path}: {e.Message} (is another sidecar running on it?)");
        }
        catch (Exception e) when (e is LiteException or InvalidDataException)
        {
            return Outcome<StateFile>.Failed($"cannot open the sidecar state {path}: {e.Message}");
        }
    }

    /// <summary>Reads a document stored by <see cref="Put{T}"/>.</summary>
    public T? Get<T>(string collection, BsonValue id) where T : class =>
        _db.GetCollection(collection).FindById(id) is { } row ? JsonSerializer.Deserialize<T>(row["json"].AsString, Json) : null;

    public IEnumerable<(BsonValue Id, T Value)> All<T>(string collection) =>
        _db.GetCollection(collection).FindAll().Select(row => (row["_id"], JsonSerializer.Deserialize<T>(row["json"].AsString, Json)!)).ToList();

    /// <summary>
    /// Every document of <paramref name="collection"/>, each read on its own: one that does not read as <typeparamref name="T"/>
    /// (damaged, or stored in a shape since changed) is a failure saying why, and the others are read all the same.
    /// </summary>
    public IReadOnlyList<(BsonValue Id, Outcome<T> Value)> Read<T>(string collection) where T : class =>
        _db.GetCollection(collection).FindAll().Select(row => (row["_id"], Parse<T>(row["json"]))).ToList();

    private static Outcome<T> Parse<T>(BsonValue json) where T : class
    {
        if (!json.IsString) return Outcome<T>.Failed("no JSON in the document");
        try
        {
            return JsonSerializer.Deserialize<T>(json.AsString, Json) is { } value ? Outcome<T>.Success(value) : Outcome<T>.Failed("null");
        }
        catch (JsonException e)
        {
            return Outcome<T>.Failed(e.Message);
        }
    }

    /// <summary>Stores <paramref name="value"/> as JSON: records change shape more freely than a BSON mapping allows, and LiteDB still makes each write atomic.</summary>
    public void Put<T>(string collection, BsonValue id, T value) =>
        _db.GetCollection(collection).Upsert(new BsonDocument { ["_id"] = id, ["json"] = JsonSerializer.Serialize(value, Json) });

    public void Delete(string collection, BsonValue id) => _db.GetCollection(collection).Delete(id);

    public int NextId(string collection) => _db.GetCollection(collection).FindAll().Select(r => r["_id"].AsInt32).DefaultIfEmpty(0).Max() + 1;

    public void Dispose()
    {
        _file.Dispose();
    }
}
