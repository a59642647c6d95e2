using System.Diagnostics;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Ghfe.GitHub;
using Ghfe.Redelivery;
using Ghfe.Tests.Support;
using Microsoft.AspNetCore.Http;
using Xunit.Abstractions;

namespace Ghfe.Tests.GitHub;

/// <summary>
/// The built <c>ghfe redeliver</c>, run as the CronJob runs it (its own process, the heap limit
/// .NET takes in the CronJob's 128 MiB), against an API that answers as an attacker would:
/// fields of the wrong type, a malformed or endless Link chain, a huge page, a redirect to
/// another host. Each run ends with one line per problem and a non-zero exit, never a stack trace.
/// </summary>
[Trait("Speed", "Slow")]
public sealed class RedeliverHostileApiTests(ITestOutputHelper log) : IDisposable
{
    private const string List = "/app/hook/deliveries";

    /// <summary>75% of the CronJob's 128 MiB: the GC heap limit .NET sets itself in that container.</summary>
    private const string CronJobHeapLimit = "0x6000000";

    private static readonly DateTimeOffset Now = DateTimeOffset.UtcNow;

    private readonly RSA _key = RSA.Create(2048);

    public void Dispose() => _key.Dispose();

    private static string Attempt(long id, string guid, TimeSpan ago, int status) =>
        $$"""{"id":{{id}},"guid":"{{guid}}","delivered_at":"{{(Now - ago).UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture)}}","redelivery":false,"status_code":{{status}},"event":"workflow_job","action":"queued","repository_id":77}""";

    private static Task Json(HttpContext context, string json, int status = 200)
    {
        context.Response.StatusCode = status;
        context.Response.ContentType = "application/json";
        return context.Response.WriteAsync(json, context.RequestAborted);
    }

    private async Task<(int Code, string Output, string Errors, TimeSpan Took)> RedeliverAsync(Uri api, params string[] args)
    {
        var clock = Stopwatch.StartNew();
        var (code, output, errors) = await BuiltRedeliver.RunAsync(
            args,
            new Dictionary<string, string?>
            {
                ["GHAPP_ORG_PRIVATE_KEY"] = _key.ExportRSAPrivateKeyPem(),
                ["GITHUB_API_URL"] = api.ToString(),
                ["DOTNET_GCHeapHardLimit"] = CronJobHeapLimit,
                ["GHAPP_PERSONAL_PRIVATE_KEY"] = null,
                ["GHAPP_ORG_ID"] = null,
            },
            TimeSpan.FromSeconds(90));
        var took = clock.Elapsed;
        log.WriteLine($"$ ghfe redeliver {string.Join(' ', args)}   → exit {code} in {took.TotalMilliseconds:F0} ms\n{output}{errors}");

        // Never a stack trace, never a control character from the API on the terminal.
        Assert.DoesNotContain("   at ", errors, StringComparison.Ordinal);
        Assert.DoesNotContain("Unhandled exception", errors, StringComparison.Ordinal);
        Assert.DoesNotContain('\u001b', output + errors);
        return (code, output, errors, took);
    }

    [Fact]
    public async Task Items_of_the_wrong_type_and_a_malformed_Link_are_each_one_line_and_the_good_deliveries_are_still_asked_for()
    {
        var page = $$"""
            [{{Attempt(101, "aaaa-0101", TimeSpan.FromHours(1), 0)}},
             {"id":102,"guid":"aaaa-0102","delivered_at":null,"status_code":0,"event":"workflow_job","action":"queued"},
             {"id":"103","guid":"aaaa-0103","delivered_at":"2026-12-05T10:00:00Z","status_code":0,"event":"workflow_job","action":"queued"},
             {{Attempt(104, "aaaa-0104", TimeSpan.FromHours(2), 0)}}]
            """;
        await using var api = await ScriptedServer.StartAsync(context => (context.Request.Method, context.Request.Path.Value) switch
        {
            ("GET", List) => Link(context, "<http://127.0.0.1:99999/app/hook/deliveries?cursor=2>; rel=\"next\"", page),
            // The job id a string, the repository's name full of escape codes.
            ("GET", $"{List}/101") => Json(context, """{"id":101,"request":{"payload":{"workflow_job":{"id":"9001"},"repository":{"full_name":"evil/\u001b[2J\u001b]8;;http://x\u0007repo"}}}}"""),
            ("GET", $"{List}/104") => Json(context, """{"id":104,"request":{"payload":{"workflow_job":{"id":9004},"repository":{"full_name":"someone/project"}}}}"""),
            ("POST", _) => Json(context, "{}", 202),
            _ => Json(context, """{"message":"Not Found"}""", 404),
        });

        var (code, output, errors, _) = await RedeliverAsync(api.Address);

        Assert.Equal(1, code);
        Assert.Equal(
            [
                $"org App {StubGitHub.AppId}: page 1: delivery 2 of the page (id 102) skipped: delivered_at is null, not a date and time",
                $"org App {StubGitHub.AppId}: page 1: delivery 3 of the page skipped: id is a string, not a positive integer",
                $"org App {StubGitHub.AppId}: stopped listing at 1 pages: the Link header's next page is not an http(s) address (\"http://127.0.0.1:99999/app/hook/deliveries?cursor=2\")",
            ],
            errors.Trim().Split('\n'));
        Assert.Contains("asked aaaa-0101 workflow_job.queued repository 77 (attempt 101,", output, StringComparison.Ordinal);
        Assert.Contains("asked aaaa-0104 workflow_job.queued job 9004 someone/project (attempt 104,", output, StringComparison.Ordinal);
        Assert.Contains("examined 2 workflow_job deliveries, 0 already succeeded, 0 waiting (redelivered recently), asked for 2, failed to ask 0", output, StringComparison.Ordinal);
        Assert.Equal(["POST /app/hook/deliveries/104/attempts", "POST /app/hook/deliveries/101/attempts"], api.Requests.Where(r => r.StartsWith("POST", StringComparison.Ordinal)));
    }

    [Fact]
    public async Task An_endless_Link_chain_stops_at_the_page_cap_in_bounded_time()
    {
        await using var api = await ScriptedServer.StartAsync((context, n) =>
        {
            // Each page one delivery inside the window (delivered fine), and a next page, forever.
            var link = $"<{context.Request.Scheme}://{context.Request.Host}{List}?per_page=100&cursor={n}>; rel=\"next\"";
            return Link(context, link, $"[{Attempt(n, $"bbbb-{n}", TimeSpan.FromMinutes(1), 200)}]");
        });

        var (code, output, errors, took) = await RedeliverAsync(api.Address);

        var cap = RedeliveryOptions.Default.MaxPages;
        Assert.Equal(1, code);
        Assert.Equal($"org App {StubGitHub.AppId}: stopped listing at {cap} pages (--max-pages), {cap} attempts read: deliveries older than these are not examined this run", errors.Trim());
        Assert.Contains($"examined {cap} workflow_job deliveries, {cap} already succeeded", output, StringComparison.Ordinal);
        Assert.Equal(cap, api.Received);
        Assert.InRange(took, TimeSpan.Zero, TimeSpan.FromSeconds(60));
        log.WriteLine($"endless Link chain: stopped after {api.Received} pages (the default --max-pages) in {took.TotalSeconds:F1} s, exit {code}");
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task A_200_MiB_page_is_a_clean_error_never_read_into_memory(bool declared)
    {
        const long huge = 200L << 20;
        // An array that never ends: "[" and then whitespace, as valid as JSON gets until the end.
        await using var api = StreamingServer.Start(
            "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n" + (declared ? $"Content-Length: {huge}" : "Connection: close"),
            Encoding.ASCII.GetBytes("[" + new string(' ', (64 * 1024) - 1)),
            Encoding.ASCII.GetBytes(new string(' ', 64 * 1024)),
            huge);

        var (code, output, errors, took) = await RedeliverAsync(api.Address);

        Assert.Equal(1, code);
        Assert.StartsWith(
            $"org App {StubGitHub.AppId}: GitHub's answer to GET {List} is larger than {AppClient.AnswerCap >> 20} MiB; not reading it",
            errors.Trim(),
            StringComparison.Ordinal);
        Assert.Single(errors.Trim().Split('\n'));
        Assert.Equal(string.Empty, output);
        var sent = await api.Sent.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.True(sent < huge / 4, $"the API got {sent >> 20} MiB out");
        log.WriteLine($"huge page ({(declared ? "Content-Length 200 MiB" : "no length, until the connection closes")}): exit {code} in {took.TotalMilliseconds:F0} ms, "
            + $"the API got {sent >> 10} KiB out before redeliver hung up, under a {Convert.ToInt64(CronJobHeapLimit, 16) >> 20} MiB heap limit");
    }

    [Theory]
    [InlineData(302)]
    [InlineData(307)]
    public async Task A_redirect_to_another_host_is_not_followed_and_its_answer_never_taken_as_GitHubs(int status)
    {
        // What the other host would answer: a failed delivery to ask for again.
        await using var elsewhere = await ScriptedServer.StartAsync(context =>
            Json(context, $"[{Attempt(301, "cccc-0301", TimeSpan.FromHours(1), 0)}]"));
        await using var api = await ScriptedServer.StartAsync(context =>
        {
            context.Response.StatusCode = status;
            context.Response.Headers.Location = new Uri(elsewhere.Address, $"{List.TrimStart('/')}?per_page=100").ToString();
            return Task.CompletedTask;
        });

        var (code, output, errors, _) = await RedeliverAsync(api.Address);

        Assert.Equal(1, code);
        Assert.Equal(
            $"org App {StubGitHub.AppId}: GitHub's API answered GET {List} with {status}, a redirect to {elsewhere.Address.GetLeftPart(UriPartial.Authority)}: ghfe redeliver follows no redirect, so no other host's answer is taken as GitHub's",
            errors.Trim());
        Assert.Equal(string.Empty, output);
        Assert.Equal(0, elsewhere.Received);
        Assert.Equal(1, api.Received);
    }

    private static Task Link(HttpContext context, string link, string json)
    {
        context.Response.Headers.Link = link;
        return Json(context, json);
    }
}
