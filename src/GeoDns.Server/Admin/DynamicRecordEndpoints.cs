using GeoDns.Protocol;

namespace GeoDns.Server.Admin;

/// <summary>
/// Records added by dynamic update (RFC 2136), which GET /v1/zones lists per zone: an operator can delete
/// them here (a stale ACME challenge, say). Deleting republishes and NOTIFYs like an UPDATE does.
/// </summary>
public static class DynamicRecordEndpoints
{
    public static void Map(WebApplication app) =>
        app.MapDelete("/v1/zones/{zone}/dynamic", (string zone, HttpRequest request, DnsService s) =>
        {
            if (s.Exchange is not { } exchange) return AdminJson.Error(StatusCodes.Status409Conflict, "dynamic update is not configured (no exchange section with keyFiles and updates)");
            if (!DnsName.TryParse(zone, out var origin, out var problem)) return AdminJson.Error(StatusCodes.Status400BadRequest, $"zone: {problem}");
            if (exchange.Served.Find(origin) is null) return AdminJson.Error(StatusCodes.Status404NotFound, $"zone {origin} is not served");
            var nameText = request.Query["name"].ToString();
            if (!DnsName.TryParse(nameText, out var name, out problem) || !name.IsAtOrBelow(origin))
                return AdminJson.Error(StatusCodes.Status400BadRequest, $"name: '{nameText}' is not a name in {origin} ({problem})");
            ushort? type = null;
            if (request.Query["type"].ToString() is { Length: > 0 } typeText)
            {
                if (!DnsType.TryParse(typeText, out var parsed)) return AdminJson.Error(StatusCodes.Status400BadRequest, $"type: '{typeText}' is not a record type");
                type = parsed;
            }
            var deleted = exchange.DeleteDynamic(origin, name, type);
            return deleted == 0
                ? AdminJson.Error(StatusCodes.Status404NotFound, $"no dynamic record at {name}{(type is { } t ? " of type " + DnsType.ToString(t) : "")}")
                : AdminJson.Ok(new { deleted });
        });
}
