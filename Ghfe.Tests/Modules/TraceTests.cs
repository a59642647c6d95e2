using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Sockets;
using System.Text.Json.Nodes;
using Ghfe.Tests.Support;
using Ghfe.Webhook;
using Npgsql;
using Xunit.Abstractions;

namespace Ghfe.Tests.Modules;

/// <summary>
/// <c>/trace</c> on a real PostgreSQL after real signed deliveries, in both schema generations: the
/// control plane's <c>installation_events</c> and, in the app's, ghfe's own delivery log.
/// </summary>
[Collection(PostgresCollection.Name)]
public sealed class TraceTests(PostgresCluster cluster, ITestOutputHelper output)
{
    private const string Secret = "trace-secret-42";
    private const long Pytorch = 21003710;
    private const long Someone = 42;
    private const long PytorchInstallation = 3456996;
    private const long SomeoneInstallation = 777;

    private static readonly string[] EventFields =
        ["id", "source", "event", "outcome", "installation_id", "app_id", "entity_type", "entity_id", "entity_name", "received_at", "job_id", "repo_full_name"];

    /// <summary>What the app generation's delivery log does not hold: the App id and the owner type.</summary>
    private static (string, string)[] Settings(string generation, string? secret = Secret) =>
        secret is null ? [("GHFE_SCHEMA_GENERATION", generation)] : [("GHFE_SCHEMA_GENERATION", generation), ("TRACE_API_SECRET", secret)];

    [Theory]
    [InlineData("app")]
    [InlineData("control-plane")]
    public async Task An_entitys_events_by_its_id_its_installation_or_its_job_oldest_first(string generation)
    {
        var database = await cluster.CreateDatabaseAsync();
        await using var ghfe = await GhfeServer.StartAsync(database, prod: false, Settings(generation));

        Assert.Equal((200, "Job 5001 stored."), await Deliver(ghfe, Job("queued", 5001, Pytorch, "pytorch", "Organization", "pytorch/pytorch", PytorchInstallation)));
        Assert.Equal(200, (await Deliver(ghfe, Job("queued", 5002, Someone, "someone", "User", "someone/project", SomeoneInstallation))).Status);
        Assert.Equal(200, (await Deliver(ghfe, Job("in_progress", 5001, Pytorch, "pytorch", "Organization", "pytorch/pytorch", PytorchInstallation))).Status);
        var ignored = await Deliver(ghfe, Job("queued", 5003, Pytorch, "pytorch", "Organization", "pytorch/pytorch", PytorchInstallation, "ubuntu-latest"));
        Assert.Equal(200, ignored.Status);

        var trace = await EventsOnceWrittenAsync(ghfe, $"/trace/entity/{Pytorch}", count: 3);
        output.WriteLine($"{generation}: /trace/entity/{Pytorch} →\n{trace.Text}");
        var events = Events(trace.Text);
        // The control plane keeps an ignored job's payload minimal, without the job's id.
        var ignoredJob = generation == "app" ? "5003" : null;
        Assert.Equal(
            [
                ("webhook", "workflow_job.queued", "job_stored", "5001"),
                ("webhook", "workflow_job.in_progress", "job_marked_running", "5001"),
                ("webhook", "workflow_job.queued", "ignored_no_label", ignoredJob),
            ],
            events.Select(e => ((string)e["source"]!, (string)e["event"]!, (string)e["outcome"]!, (string?)e["job_id"])));
        var fields = EventFields;
        Assert.All(events[..2], e => Assert.Equal(fields.Order(), e.Select(field => field.Key).Order()));
        Assert.Equal(fields.Where(field => ignoredJob is not null || field != "job_id").Order(), events[2].Select(field => field.Key).Order());
        Assert.All(events, e => Assert.Equal(
            (PytorchInstallation, Pytorch, "pytorch", "pytorch/pytorch"),
            ((long)e["installation_id"]!, (long)e["entity_id"]!, (string)e["entity_name"]!, (string)e["repo_full_name"]!)));
        if (generation == "control-plane")
        {
            Assert.All(events, e => Assert.Equal((long.Parse(ControlPlane.AppId), "Organization"), ((long)e["app_id"]!, (string)e["entity_type"]!)));
        }

        var ids = events.Select(e => (long)e["id"]!).ToList();
        var times = events.Select(e => DateTimeOffset.Parse((string)e["received_at"]!, System.Globalization.CultureInfo.InvariantCulture)).ToList();
        Assert.Equal(ids.Order(), ids);
        Assert.Equal(times.Order(), times);
        Assert.All(events, e => Assert.EndsWith("Z", (string)e["received_at"]!, StringComparison.Ordinal));

        // The installation's and the job's traces are the entity's, whole.
        Assert.Equal((200, trace.Text), await Get(ghfe, $"/trace/installation/{PytorchInstallation}"));
        Assert.Equal((200, trace.Text), await Get(ghfe, "/trace/job/5001"));
        var someone = await Get(ghfe, $"/trace/entity/{Someone}");
        Assert.Equal((200, someone.Text), await Get(ghfe, $"/trace/installation/{SomeoneInstallation}"));
        Assert.Equal((200, someone.Text), await Get(ghfe, "/trace/job/5002"));
        var theirs = Assert.Single(Events(someone.Text));
        Assert.Equal(("workflow_job.queued", "job_stored", "5002", "someone"), ((string)theirs["event"]!, (string)theirs["outcome"]!, (string)theirs["job_id"]!, (string)theirs["entity_name"]!));

        // A job no rule routed has no jobs row: the delivery log still names its owner; installation_events does not index jobs.
        Assert.Equal(generation == "app" ? (200, trace.Text) : (404, "Entity not found"), await Get(ghfe, "/trace/job/5003"));

        Assert.Equal((200, """{"events":[]}"""), await Get(ghfe, "/trace/entity/55555"));
        Assert.Equal((404, "Entity not found"), await Get(ghfe, "/trace/installation/999"));
        Assert.Equal((404, "Entity not found"), await Get(ghfe, "/trace/job/424242"));

        // The payload: the control plane's row keeps it; the delivery log keeps none.
        var first = await GetResponse(ghfe, $"/trace/payload/{ids[0]}");
        if (generation == "control-plane")
        {
            Assert.Equal(HttpStatusCode.OK, first.Status);
            Assert.Equal("application/json", first.ContentType);
            var payload = JsonNode.Parse(first.Text)!.AsObject();
            Assert.Equal(["payload"], payload.Select(field => field.Key));
            Assert.Equal(("queued", 5001L, "pytorch/pytorch"), ((string)payload["payload"]!["action"]!, (long)payload["payload"]!["workflow_job"]!["id"]!, (string)payload["payload"]!["repository"]!["full_name"]!));
        }
        else
        {
            Assert.Equal((HttpStatusCode.NotFound, "Payload not found"), (first.Status, first.Text));
        }

        Assert.Equal((404, "Payload not found"), await Get(ghfe, "/trace/payload/999999"));
    }

    [Fact]
    public async Task Requests_refused_before_their_signature_held_are_no_ones_events()
    {
        var database = await cluster.CreateDatabaseAsync();
        var body = Job("queued", 6001, Pytorch, "pytorch", "Organization", "pytorch/pytorch", PytorchInstallation);
        await using (var ghfe = await GhfeServer.StartAsync(database, prod: false, Settings("app")))
        {
            Assert.Equal((200, "Job 6001 stored."), await Deliver(ghfe, body));
            var forged = await ghfe.SendAsync(body, (Event.Header, "workflow_job"), (Signature.Header, "sha256=" + new string('0', 64)), (Event.DeliveryHeader, "forged-1"));
            Assert.Equal(401, forged.Status);
        }

        // Stopped: the minute's tally of unsigned requests is in the log.
        await using (var connection = new NpgsqlConnection(database))
        {
            await connection.OpenAsync();
            await using var count = new NpgsqlCommand("SELECT count(*) FILTER (WHERE samples IS NOT NULL), count(*) FROM staging.deliveries", connection);
            await using var reader = await count.ExecuteReaderAsync();
            await reader.ReadAsync();
            Assert.Equal((1L, 2L), (reader.GetInt64(0), reader.GetInt64(1)));
        }

        await using var again = await GhfeServer.StartAsync(database, prod: false, Settings("app"));
        var trace = Events((await Get(again, $"/trace/entity/{Pytorch}")).Text);
        Assert.Equal(("workflow_job.queued", "job_stored"), ((string)Assert.Single(trace)["event"]!, (string)trace[0]["outcome"]!));
        Assert.Single(Events((await Get(again, $"/trace/installation/{PytorchInstallation}")).Text));
    }

    [Theory]
    [InlineData("app")]
    [InlineData("control-plane")]
    public async Task A_bad_id_is_a_400_and_a_missing_or_wrong_token_a_401_on_every_route(string generation)
    {
        var database = await cluster.CreateDatabaseAsync();
        await using var ghfe = await GhfeServer.StartAsync(database, prod: false, Settings(generation));
        string[] routes = ["entity", "installation", "job", "payload"];

        foreach (var route in routes)
        {
            foreach (var id in new[] { "abc", "0", "-5", "1.5", "99999999999999999999", "%20" })
            {
                var (status, text) = await Get(ghfe, $"/trace/{route}/{id}");
                Assert.Equal(400, status);
                Assert.StartsWith($"Bad request: the id in /trace/{route}/<id> is a positive whole number", text, StringComparison.Ordinal);
            }

            foreach (var authorization in new[] { null, "Bearer wrong", $"Bearer {Secret}x", $"Bearer {Secret[..^1]}", $"Basic {Secret}", Secret, "Bearer " })
            {
                var refused = await GetResponse(ghfe, $"/trace/{route}/1", authorization);
                Assert.Equal(HttpStatusCode.Unauthorized, refused.Status);
                Assert.Equal("Unauthorized: /trace needs Authorization: Bearer <TRACE_API_SECRET>.", refused.Text);
                Assert.Equal("Bearer realm=\"ghfe trace\"", refused.WwwAuthenticate);

                // A bad id behind a wrong token says nothing about the id.
                Assert.Equal(HttpStatusCode.Unauthorized, (await GetResponse(ghfe, $"/trace/{route}/abc", authorization)).Status);
            }
        }
    }

    [Theory]
    [InlineData("app")]
    [InlineData("control-plane")]
    public async Task Without_TRACE_API_SECRET_the_routes_are_absent(string generation)
    {
        var database = await cluster.CreateDatabaseAsync();
        await using var ghfe = await GhfeServer.StartAsync(database, prod: false, Settings(generation, secret: null));
        var unknown = await GetResponse(ghfe, "/no-such-page");
        Assert.Equal(HttpStatusCode.NotFound, unknown.Status);

        foreach (var path in new[] { "/trace/entity/1", "/trace/installation/1", "/trace/job/1", "/trace/payload/1", "/trace/entity/abc" })
        {
            Assert.Equal(unknown, await GetResponse(ghfe, path));
            Assert.Equal(unknown, await GetResponse(ghfe, path, authorization: null));
        }
    }

    [Theory]
    [InlineData("app")]
    [InlineData("control-plane")]
    public async Task A_database_that_is_down_is_a_503_with_a_short_text(string generation)
    {
        var database = await cluster.CreateDatabaseAsync();
        var direct = new NpgsqlConnectionStringBuilder(database);
        await using var endpoint = new TcpForwarder(direct.Port);
        var forwarded = new NpgsqlConnectionStringBuilder(database) { Port = endpoint.Port };
        await using var ghfe = await GhfeServer.StartAsync(forwarded.ConnectionString, prod: false, Settings(generation));
        Assert.Equal((200, """{"events":[]}"""), await Get(ghfe, "/trace/entity/1"));

        // The endpoint leads nowhere now, and the sessions already open are gone.
        endpoint.PointTo(ClosedPort());
        await using (var admin = new NpgsqlConnection(database))
        {
            await admin.OpenAsync();
            await using var terminate = new NpgsqlCommand(
                "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()", admin);
            await terminate.ExecuteScalarAsync();
        }

        foreach (var path in new[] { "/trace/entity/1", "/trace/installation/1", "/trace/job/1", "/trace/payload/1" })
        {
            var watch = Stopwatch.StartNew();
            var down = await GetResponse(ghfe, path);
            output.WriteLine($"{generation}: {path} with the database down: {(int)down.Status} in {watch.ElapsedMilliseconds} ms: {down.Text}");
            if (generation == "app" && path.StartsWith("/trace/payload/", StringComparison.Ordinal))
            {
                Assert.Equal((HttpStatusCode.NotFound, "Payload not found"), (down.Status, down.Text)); // read from nowhere
                continue;
            }

            Assert.Equal((HttpStatusCode.ServiceUnavailable, "Database unavailable: the trace cannot be read right now."), (down.Status, down.Text));
            Assert.NotNull(down.RetryAfter);
            Assert.InRange(watch.Elapsed.TotalSeconds, 0, 15);
        }
    }

    private static int ClosedPort()
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
    }

    private static byte[] Job(string action, long jobId, long owner, string login, string type, string repository, long installation, string label = "ubuntu-24.04-riscv")
    {
        var payload = Payloads.Queued([label], owner, login, type, repository);
        payload["action"] = action;
        payload["workflow_job"]!["id"] = jobId;
        payload["installation"]!["id"] = installation;
        return Payloads.Serialize(payload);
    }

    /// <summary>Signed, with the App id header: the control plane's rows keep it.</summary>
    private static Task<(int Status, string Text)> Deliver(GhfeServer ghfe, byte[] body) => ControlPlane.DeliverAsync(ghfe, "workflow_job", body);

    private static List<JsonObject> Events(string text) =>
        [.. JsonNode.Parse(text)!.AsObject()["events"]!.AsArray().Select(e => e!.AsObject())];

    /// <summary>The trace once it holds <paramref name="count"/> events: the delivery log writes off the answer's path.</summary>
    private static async Task<(int Status, string Text)> EventsOnceWrittenAsync(GhfeServer ghfe, string path, int count)
    {
        var deadline = Stopwatch.StartNew();
        while (true)
        {
            var answer = await Get(ghfe, path);
            if ((answer.Status == 200 && Events(answer.Text).Count >= count) || deadline.Elapsed > TimeSpan.FromSeconds(30))
            {
                return answer;
            }

            await Task.Delay(50);
        }
    }

    private static async Task<(int Status, string Text)> Get(GhfeServer ghfe, string path)
    {
        var answer = await GetResponse(ghfe, path);
        return ((int)answer.Status, answer.Text);
    }

    private static async Task<Answer> GetResponse(GhfeServer ghfe, string path, string? authorization = "Bearer " + Secret)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        if (authorization is not null)
        {
            request.Headers.TryAddWithoutValidation("Authorization", authorization);
        }

        using var response = await ghfe.Client.SendAsync(request);
        return new Answer(
            response.StatusCode, await response.Content.ReadAsStringAsync(), response.Content.Headers.ContentType?.MediaType,
            response.Headers.WwwAuthenticate.ToString(), response.Headers.RetryAfter?.ToString());
    }

    private sealed record Answer(HttpStatusCode Status, string Text, string? ContentType, string WwwAuthenticate, string? RetryAfter);
}
