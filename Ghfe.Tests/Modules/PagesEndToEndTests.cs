using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using Ghfe.Tests.Support;
using Xunit.Abstractions;

namespace Ghfe.Tests.Modules;

/// <summary>/usage and /history over HTTP, on rows written by real deliveries.</summary>
[Collection(PostgresCollection.Name)]
public sealed class PagesEndToEndTests(PostgresCluster cluster, ITestOutputHelper log) : GhfeOnFreshDatabase(cluster)
{
    public override async Task InitializeAsync()
    {
        await base.InitializeAsync();
        await SeededGhfe.SeedAsync(Ghfe, Database);
    }

    private async Task<(HttpStatusCode Status, string ContentType, string Body, HttpResponseMessage Response)> Get(string path, string? accept = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        if (accept is not null)
        {
            request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue(accept));
        }

        var response = await Ghfe.Client.SendAsync(request);
        return (response.StatusCode, response.Content.Headers.ContentType?.MediaType ?? string.Empty, await response.Content.ReadAsStringAsync(), response);
    }

    [Fact]
    public async Task Usage_json_counts_what_the_deliveries_left_active()
    {
        var (status, type, body, _) = await Get("/usage.json");
        using var json = JsonDocument.Parse(body);
        var totals = json.RootElement.GetProperty("totals");

        Assert.Equal((HttpStatusCode.OK, "application/json"), (status, type));
        // 30 jobs: 10 stay pending, 20 go running, 6 of those complete; 2 workers are active.
        Assert.Equal((10, 14, 1, 1), (totals.GetProperty("pending_jobs").GetInt32(), totals.GetProperty("running_jobs").GetInt32(),
            totals.GetProperty("pending_workers").GetInt32(), totals.GetProperty("running_workers").GetInt32()));
        Assert.Equal("Staging", json.RootElement.GetProperty("environment").GetString());
        Assert.EndsWith("Z", json.RootElement.GetProperty("generated_at").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Usage_puts_the_longest_waiting_job_first_and_times_a_running_job_from_its_start()
    {
        // 8000003 (someone) stays pending: it has now waited 3 hours, longer than any other.
        // 8000001 (ggml-org) went running: queued an hour ago, started 50 minutes ago.
        await Rows.ExecuteAsync(Database, """
            UPDATE staging.jobs SET created_at = now() - interval '3 hours' WHERE job_id = 8000003;
            UPDATE staging.jobs SET created_at = now() - interval '1 hour', started_at = now() - interval '50 minutes' WHERE job_id = 8000001;
            """);

        var (_, _, body, _) = await Get("/usage.json");
        using var json = JsonDocument.Parse(body);
        var groups = json.RootElement.GetProperty("groups").EnumerateArray().ToArray();
        var running = groups.SelectMany(group => group.GetProperty("jobs").EnumerateArray()).Single(job => job.GetProperty("job_id").GetInt64() == 8000001);
        var (waited, run) = (running.GetProperty("waited_seconds").GetInt64(), running.GetProperty("running_seconds").GetInt64());
        log.WriteLine($"card order: {string.Join(", ", groups.Select(group => group.GetProperty("entity_name").GetString()))}; job 8000001 waited {waited} s, running {run} s");

        Assert.Equal("someone", groups[0].GetProperty("entity_name").GetString());
        var pendingSince = groups.Select(group => group.GetProperty("oldest_pending_since")).TakeWhile(since => since.ValueKind != JsonValueKind.Null).Select(since => since.GetDateTimeOffset()).ToArray();
        Assert.Equal(pendingSince.Order(), pendingSince);
        Assert.InRange(waited, 600, 660);
        Assert.InRange(run, 3000, 3060);
        Assert.Equal(JsonValueKind.Null, groups[0].GetProperty("jobs")[0].GetProperty("running_seconds").ValueKind);

        var (_, _, html, _) = await Get("/usage?refresh=0");
        Assert.Contains("<th class=\"num\">Waited</th><th class=\"num\">Running</th>", html, StringComparison.Ordinal);
        Assert.True(html.IndexOf("<h2>someone</h2>", StringComparison.Ordinal) < html.IndexOf("<h2>ggml-org</h2>", StringComparison.Ordinal));
        Assert.Contains("<td class=\"num\" data-label=\"Waited\">10m 00s</td>", html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Accept_json_on_the_html_path_gives_json()
    {
        var (_, type, body, _) = await Get("/usage", "application/json");
        Assert.Equal("application/json", type);
        Assert.StartsWith("{", body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Usage_html_refreshes_unless_asked_not_to()
    {
        var (_, type, refreshing, _) = await Get("/usage");
        var (_, _, still, _) = await Get("/usage?refresh=0");

        Assert.Equal("text/html", type);
        Assert.Contains("<meta http-equiv=\"refresh\" content=\"15\">", refreshing, StringComparison.Ordinal);
        Assert.DoesNotContain("http-equiv=\"refresh\"", still, StringComparison.Ordinal);
        Assert.Contains("pytorch/pytorch<wbr><span class=\"nowrap\">#8000000</span>", still, StringComparison.Ordinal);
    }

    [Fact]
    public async Task History_json_has_times_and_a_link_header()
    {
        var (status, _, body, response) = await Get("/history.json?per_page=10");
        using var json = JsonDocument.Parse(body);
        var groups = json.RootElement.GetProperty("groups").EnumerateArray().ToArray();
        var link = string.Join(", ", response.Headers.GetValues("Link"));

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal(30, json.RootElement.GetProperty("total_jobs").GetInt32());
        Assert.Equal(6, groups.Sum(g => g.GetProperty("completed").GetInt32()));
        Assert.Contains(groups, g => g.GetProperty("run_time_p50_seconds").ValueKind == JsonValueKind.Number);
        Assert.Contains("page=1>; rel=\"next\"", link, StringComparison.Ordinal);
        Assert.Contains("page=2>; rel=\"last\"", link, StringComparison.Ordinal);
        Assert.StartsWith("</history.json?", link, StringComparison.Ordinal);
    }

    [Fact]
    public async Task History_filters_by_entity_status_and_repository()
    {
        var (_, _, body, _) = await Get("/history.json?entity=pytorch&status=completed&repo=PyTorch/PyTorch");
        using var json = JsonDocument.Parse(body);
        var jobs = json.RootElement.GetProperty("jobs").EnumerateArray().ToArray();

        Assert.NotEmpty(jobs);
        Assert.All(jobs, job => Assert.Equal(("completed", "pytorch/pytorch"), (job.GetProperty("status").GetString(), job.GetProperty("repository").GetString())));
    }

    [Theory]
    [InlineData("/history?per_page=0", "Bad request: per_page must be a whole number from 1 to 500 (got \"0\")")]
    [InlineData("/history?end=9999-12-31", "Bad request: end must be a date from 1970 to 9000 (got \"9999-12-31\")")]
    [InlineData("/deliveries?end=9999-12-31", "Bad request: end must be a date from 1970 to 9000 (got \"9999-12-31\")")]
    [InlineData("/history?start=soon", "Bad request: start must be a date YYYY-MM-DD or a number of days back like -7d (got \"soon\")")]
    [InlineData("/usage?refresh=sometimes", "Bad request: refresh must be 0 or 1 (got \"sometimes\")")]
    [InlineData("/usage?page=2", "Bad request: unknown parameter \"page\" (known: refresh)")]
    [InlineData("/deliveries?delivery=5f0c6a4e", "Bad request: unknown parameter \"delivery\" (known: start, end, outcome, owner, repo, label, page, per_page)")]
    [InlineData("/deliveries?owner=a&owner=b", "Bad request: parameter \"owner\" is given more than once")]
    [InlineData("/jobs/8000001?verbose=1", "Bad request: unknown parameter \"verbose\" (this page takes none)")]
    [InlineData("/routing.json?rule=1", "Bad request: unknown parameter \"rule\" (this page takes none)")]
    [InlineData("/jobs?id=1&id=2", "Bad request: parameter \"id\" is given more than once")]
    public async Task A_bad_parameter_is_a_400_naming_it(string path, string text)
    {
        var (status, _, body, _) = await Get(path);
        Assert.Equal((HttpStatusCode.BadRequest, text), (status, body));
    }

    [Fact]
    public async Task An_empty_window_says_no_jobs_found()
    {
        var (status, _, body, _) = await Get("/history?start=2020-01-01&end=2020-01-31");
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Contains("No jobs found.", body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task With_a_pages_token_the_pages_need_it()
    {
        await using var guarded = await GhfeServer.StartAsync(Database, prod: false, ("GHFE_PAGES_TOKEN", "s3cret-token"));
        using var withBearer = new HttpRequestMessage(HttpMethod.Get, "/usage.json");
        withBearer.Headers.Authorization = new AuthenticationHeaderValue("Bearer", "s3cret-token");

        using var anonymous = await guarded.Client.GetAsync("/history.json");
        using var wrong = await guarded.Client.GetAsync("/usage?token=guess");
        using var bearer = await guarded.Client.SendAsync(withBearer);
        using var query = await guarded.Client.GetAsync("/usage?token=s3cret-token&refresh=0");
        using var webhookStillOpen = await guarded.Client.GetAsync("/health");

        Assert.Equal(HttpStatusCode.Unauthorized, anonymous.StatusCode);
        Assert.Equal("Bearer realm=\"ghfe pages\"", anonymous.Headers.WwwAuthenticate.ToString());
        Assert.Equal(HttpStatusCode.Unauthorized, wrong.StatusCode);
        Assert.Equal(HttpStatusCode.OK, bearer.StatusCode);
        Assert.Equal(HttpStatusCode.OK, query.StatusCode);
        Assert.Contains("href=\"/history?token=s3cret-token\"", await query.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, webhookStillOpen.StatusCode);
    }

    [Fact]
    public async Task Routing_lists_the_rules_and_explains_a_miss()
    {
        var (status, type, rules, _) = await Get("/routing");
        var (_, _, explained, _) = await Get("/routing/explain.json?owner=42&repo=someone/project&labels=ubuntu-26.04-riscv");
        var (bad, _, problem, _) = await Get("/routing/explain?owner=abc&repo=x/y");
        using var json = JsonDocument.Parse(explained);

        Assert.Equal((HttpStatusCode.OK, "text/html"), (status, type));
        Assert.Contains("3. default", rules, StringComparison.Ordinal);
        Assert.Equal(JsonValueKind.Null, json.RootElement.GetProperty("destination").ValueKind);
        Assert.Equal("applies, but no route matches: the job is ignored", json.RootElement.GetProperty("rules")[2].GetProperty("verdict").GetString());
        Assert.Equal((HttpStatusCode.BadRequest, "Bad request: owner must be the repository owner's numeric id (got \"abc\")"), (bad, problem));
    }
}
