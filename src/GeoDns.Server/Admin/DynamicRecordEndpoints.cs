using Microsoft.OpenApi;

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
            return outcome.Succeeded ? AdminJson.Ok(new DeletedRecordsView(outcome.Changed)) : EdgeEndpoints.Failure(outcome);
        })
            .Change<DeletedRecordsView>("DeleteDynamicRecords", AdminOpenApi.Zones, "Delete records added by dynamic update (a stale ACME challenge, say)",
                "Republishes and NOTIFYs as an UPDATE does. 404 when the zone is not served or nothing matches; 409 when dynamic update is " +
                "not configured; 422 for a bad name or type; 503 when the change cannot be stored (nothing changed).")
            .Query(("name", JsonSchemaType.String, "the owner name of the records (required)"),
                ("type", JsonSchemaType.String, "only records of this type (default: every type at the name)"))
            .Fails(StatusCodes.Status404NotFound, StatusCodes.Status409Conflict, StatusCodes.Status422UnprocessableEntity, StatusCodes.Status503ServiceUnavailable);
}
