namespace GeoDns.Server.Admin;

/// <summary>
/// The admin endpoint's middleware: authorizes each request with <see cref="TokenCheck"/> (the dashboard
/// page aside: it holds no data, and fetches the data with the token the user gives it), sets the security headers
/// of every reply, and turns an unexpected failure into a JSON 500 (its details in the log only) instead of an empty reply.
/// </summary>
public static class AdminGuard
{
    public static async Task Invoke(HttpContext context, RequestDelegate next)
    {
        var headers = context.Response.Headers;
        // Every reply: never sniffed into something executable, never framed (clickjacking the drain buttons), no referrer out.
        headers.XContentTypeOptions = "nosniff";
        headers.XFrameOptions = "DENY";
        headers["Referrer-Policy"] = "no-referrer";
        headers.ContentSecurityPolicy = context.Request.Path == "/" ? Dashboard.ContentSecurityPolicy : "default-src 'none'; frame-ancestors 'none'";
        if (!(context.Request.Path == "/" && HttpMethods.IsGet(context.Request.Method)))
        {
            var check = context.RequestServices.GetRequiredService<TokenCheck>();
            var client = context.Connection.RemoteIpAddress;
            var decision = check.Decide(context.Request.Method, client, context.Request.Host.Value, context.Request.Headers.Authorization.FirstOrDefault());
            if (decision != AccessDecision.Allowed)
            {
                await Refusal(context, check, decision).ExecuteAsync(context);
                return;
            }
        }
        try
        {
            await next(context);
        }
        catch (Exception e) when (!context.Response.HasStarted && e is not OperationCanceledException)
        {
            // The message stays in the log: it may name paths, files or internals that are nobody else's business.
            Log(context).LogError(e, "Admin request {Method} {Path} failed (request {Request})", context.Request.Method, context.Request.Path, context.TraceIdentifier);
            await AdminJson.Error(StatusCodes.Status500InternalServerError, $"internal error (request {context.TraceIdentifier}); the server log has the details").ExecuteAsync(context);
        }
    }

    private static IResult Refusal(HttpContext context, TokenCheck check, AccessDecision decision)
    {
        var headers = context.Response.Headers;
        switch (decision)
        {
            case AccessDecision.TooManyAttempts:
                var wait = (int)Math.Ceiling(check.RetryAfter(context.Connection.RemoteIpAddress).TotalSeconds);
                headers.RetryAfter = wait.ToString(System.Globalization.CultureInfo.InvariantCulture);
                return AdminJson.Error(StatusCodes.Status429TooManyRequests, $"too many wrong tokens from this address; try again in {wait} s");
            case AccessDecision.WrongToken:
                headers.WWWAuthenticate = "Bearer error=\"invalid_token\"";
                Log(context).LogWarning("Wrong admin token from {Client} for {Method} {Path}",
                    context.Connection.RemoteIpAddress, context.Request.Method, context.Request.Path);
                return AdminJson.Error(StatusCodes.Status401Unauthorized, "wrong admin token");
            case AccessDecision.ChangesDisabled:
                return AdminJson.Error(StatusCodes.Status403Forbidden, $"changes are off: no admin token is set (adminToken, adminTokenFile or {AdminSettings.TokenVariable})");
            default:
                headers.WWWAuthenticate = "Bearer";
                return AdminJson.Error(StatusCodes.Status401Unauthorized, HttpMethods.IsGet(context.Request.Method) || HttpMethods.IsHead(context.Request.Method)
                    ? "reads from beyond this machine need the admin token: Authorization: Bearer <token>"
                    : "changes need the admin token: Authorization: Bearer <token>");
        }
    }

    private static ILogger Log(HttpContext context) => context.RequestServices.GetRequiredService<ILoggerFactory>().CreateLogger("GeoDns.Server.Admin");
}
