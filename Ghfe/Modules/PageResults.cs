using Ghfe.Pages;
using Ghfe.Store;
using LanguageExt;
using Npgsql;

namespace Ghfe.Modules;

/// <summary>What every page module answers alike: JSON or HTML by the request, the layout, 400s and 503s.</summary>
public static class PageResults
{
    /// <summary>What a 503 page answer suggests: about one statement timeout, by when a turn is likely free.</summary>
    private const int RetrySeconds = 5;

    /// <summary>
    /// The shape of a page that reads the store: a bad query is a 400 naming the parameter, a
    /// database that does not answer (or a read past the statement timeout) a 503; otherwise
    /// <paramref name="answer"/> with what was read.
    /// </summary>
    public static Task<IResult> ServeAsync<TQuery, TData>(Either<string, TQuery> query, Func<TQuery, Task<TData>> read, Func<TQuery, TData, IResult> answer)
        where TData : class =>
        query.MatchAsync(
            RightAsync: async parsed =>
            {
                var (data, unavailable) = await ReadAsync(() => read(parsed));
                return data is not null ? answer(parsed, data) : unavailable!;
            },
            Left: BadRequest);

    public static bool WantsJson(HttpRequest request) =>
        request.Path.Value?.EndsWith(".json", StringComparison.Ordinal) == true
        || (request.Headers.Accept.ToString().Contains("application/json", StringComparison.OrdinalIgnoreCase)
            && !request.Headers.Accept.ToString().Contains("text/html", StringComparison.OrdinalIgnoreCase));

    /// <summary>The view as JSON, or rendered with the page's template inside the layout.</summary>
    public static IResult Negotiate<T>(HttpRequest request, PageRenderer pages, string page, T view, Func<RawHtml, Layout> layout, int status = StatusCodes.Status200OK)
        where T : notnull =>
        WantsJson(request)
            ? Json(view, status)
            : Html(pages.Render(page, view, layout, PageAccess.QueryToken(request)), status);

    public static IResult Json<T>(T view, int status = StatusCodes.Status200OK) =>
        Results.Text(PageJson.Serialize(view), "application/json; charset=utf-8", statusCode: status);

    public static IResult Html(string html, int status = StatusCodes.Status200OK) => Results.Text(html, "text/html; charset=utf-8", statusCode: status);

    public static IResult BadRequest(string problem) => new PageProblem(StatusCodes.Status400BadRequest, "Bad request", $"Bad request: {problem}");

    public static Dictionary<string, string[]> Parameters(HttpRequest request) =>
        request.Query.ToDictionary(pair => pair.Key, pair => pair.Value.Select(v => v ?? string.Empty).ToArray(), StringComparer.Ordinal);

    /// <summary>
    /// The JSON twin of the page at <paramref name="jsonPath"/>, with the request's parameters:
    /// a token among them only when it is the one that let this request in (<see cref="PageAccess.QueryToken"/>).
    /// </summary>
    public static string JsonTwin(string jsonPath, HttpRequest request)
    {
        var token = PageAccess.QueryToken(request);
        var parameters = request.Query
            .Where(parameter => parameter.Key != "token")
            .SelectMany(parameter => parameter.Value.Select(value => KeyValuePair.Create(parameter.Key, value)))
            .Concat(token is null ? [] : [KeyValuePair.Create("token", (string?)token)]);
        return jsonPath + QueryString.Create(parameters);
    }

    /// <summary>More page requests at once than <see cref="PageLimiter"/> lets in.</summary>
    public static IResult Busy() =>
        Unavailable("Too many page requests at once: try again in a few seconds.");

    private static PageProblem Unavailable(string reason) =>
        new(StatusCodes.Status503ServiceUnavailable, "Not available right now", reason, RetrySeconds);

    /// <summary>What was read, or the 503 that says why nothing was.</summary>
    private static async Task<(T? Data, IResult? Unavailable)> ReadAsync<T>(Func<Task<T>> read)
        where T : class
    {
        try
        {
            return (await read(), null);
        }
        catch (PostgresException e) when (e.SqlState == PostgresErrorCodes.QueryCanceled)
        {
            return (null, Unavailable(
                $"The page took more than {PagesDataSource.StatementTimeout.TotalSeconds:0} s to read: try a shorter window or a narrower filter."));
        }
        catch (Exception e) when (e is NpgsqlException or TimeoutException)
        {
            return (null, Unavailable("Database unavailable: the page cannot be shown right now."));
        }
    }
}
