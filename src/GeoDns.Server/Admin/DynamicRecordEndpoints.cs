namespace GeoDns.Server.Admin;

/// <summary>
/// Records added by dynamic update (RFC 2136), which GET /v1/zones lists per zone: an operator can delete
/// them here (a stale ACME challenge, say). Deleting republishes and NOTIFYs like an UPDATE does.
/// </summary>
public static class DynamicRecordEndpoints
{
    public static void Map(WebApplication app) =>
        app.MapDelete("/v1/zones/{zone}/dynamic", async (string zone, HttpRequest request, Operations operations) =>
        {
            var type = request.Query["type"].ToString();
            var outcome = await operations.DeleteDynamicAsync(zone, request.Query["name"].ToString(), type.Length > 0 ? type : null);
            return outcome.Succeeded ? AdminJson.Ok(new { deleted = outcome.Changed }) : EdgeEndpoints.Failure(outcome);
        });
}
