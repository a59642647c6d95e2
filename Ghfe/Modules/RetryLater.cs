namespace Ghfe.Modules;

/// <summary>503 with Retry-After and a plain-text reason: the page may be shown in a few seconds.</summary>
public sealed record RetryLater(string Reason, int Seconds) : IResult
{
    public Task ExecuteAsync(HttpContext httpContext)
    {
        httpContext.Response.Headers.RetryAfter = Seconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
        return Results.Text(Reason, statusCode: StatusCodes.Status503ServiceUnavailable).ExecuteAsync(httpContext);
    }
}
