using Ghfe.Redelivery;

namespace Ghfe.Tests.Redelivery;

/// <summary>Flags, durations, the Link header and the rate-limit headers, read as plain values.</summary>
public class RedeliveryInputsTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 30, 12, 0, 0, TimeSpan.Zero);

    [Fact]
    public void No_flags_mean_the_defaults() =>
        Assert.Equal(RedeliveryOptions.Default, (RedeliveryOptions)RedeliveryFlags.Parse([]));

    [Fact]
    public void Flags_are_read_with_a_space_or_an_equals_sign() =>
        Assert.Equal(
            new RedeliveryOptions(TimeSpan.FromHours(2), TimeSpan.FromMinutes(90), DryRun: true, Max: 7, MaxPages: 20),
            (RedeliveryOptions)RedeliveryFlags.Parse(["--since", "2h", "--retry-after=1h30m", "--dry-run", "--max", "7", "--max-pages=20"]));

    [Theory]
    [InlineData("--since", "tomorrow", "--since must be a duration")]
    [InlineData("--since", "999999d", "--since must be a duration")]
    [InlineData("--retry-after", "0m", "--retry-after must be a duration")]
    [InlineData("--max", "0", "--max must be a positive whole number")]
    [InlineData("--max", "-3", "--max must be a positive whole number")]
    [InlineData("--max-pages", "0", "--max-pages must be a positive whole number")]
    [InlineData("--force", "1", "unknown flag --force")]
    public void A_bad_flag_is_one_line_naming_it(string flag, string value, string expected) =>
        Assert.StartsWith(expected, (string)RedeliveryFlags.Parse([flag, value]), StringComparison.Ordinal);

    [Fact]
    public void A_flag_without_its_value_says_so() =>
        Assert.StartsWith("--since needs a value", (string)RedeliveryFlags.Parse(["--since"]), StringComparison.Ordinal);

    [Theory]
    [InlineData("90s", 90)]
    [InlineData("30m", 1800)]
    [InlineData("24h", 86400)]
    [InlineData("3d", 259200)]
    [InlineData("1h30m", 5400)]
    public void Durations_are_written_in_units(string text, int seconds) =>
        Assert.Equal(TimeSpan.FromSeconds(seconds), RedeliveryFlags.Duration(text));

    [Theory]
    [InlineData("")]
    [InlineData("30")]
    [InlineData("1w")]
    [InlineData("m30")]
    [InlineData("0s")]
    [InlineData("999999d")]
    [InlineData("999999d999999d999999d999999d999999d999999d999999d999999d999999d999999d999999d")]
    public void Other_durations_are_not(string text) => Assert.Null(RedeliveryFlags.Duration(text));

    [Fact]
    public void The_next_page_is_the_link_with_rel_next()
    {
        Assert.Equal(
            "https://api.github.com/app/hook/deliveries?per_page=100&cursor=v1_123",
            LinkHeader.Next(["<https://api.github.com/app/hook/deliveries?per_page=100>; rel=\"first\", <https://api.github.com/app/hook/deliveries?per_page=100&cursor=v1_123>; rel=\"next\""]));
        Assert.Null(LinkHeader.Next(["<https://api.github.com/app/hook/deliveries?per_page=100>; rel=\"first\""]));
        Assert.Null(LinkHeader.Next([]));
    }

    [Fact]
    public void A_429_or_403_with_retry_after_is_a_limit_of_that_long()
    {
        Assert.Equal(new RateLimit.Limited(TimeSpan.FromSeconds(30), "rate limited (429, Retry-After 30 s)"), RateLimit.Of(429, "30", null, null, Now));
        Assert.Equal(TimeSpan.FromSeconds(5), Assert.IsType<RateLimit.Limited>(RateLimit.Of(403, "5", "10", null, Now)).Wait);
    }

    [Fact]
    public void A_403_with_no_requests_left_waits_for_the_reset()
    {
        var reset = Now.AddMinutes(10).ToUnixTimeSeconds().ToString(System.Globalization.CultureInfo.InvariantCulture);

        var limited = Assert.IsType<RateLimit.Limited>(RateLimit.Of(403, null, "0", reset, Now));

        Assert.Equal(TimeSpan.FromMinutes(10), limited.Wait);
        Assert.Contains("2026-11-30 12:10:00 UTC", limited.Why, StringComparison.Ordinal);
    }

    [Fact]
    public void Huge_waits_are_clamped_to_a_day_never_overflowed()
    {
        Assert.Equal(TimeSpan.FromDays(1), Assert.IsType<RateLimit.Limited>(RateLimit.Of(429, long.MaxValue.ToString(System.Globalization.CultureInfo.InvariantCulture), null, null, Now)).Wait);
        Assert.Equal(TimeSpan.FromDays(1), Assert.IsType<RateLimit.Limited>(RateLimit.Of(403, null, "0", long.MaxValue.ToString(System.Globalization.CultureInfo.InvariantCulture), Now)).Wait);
        Assert.Equal(TimeSpan.Zero, Assert.IsType<RateLimit.Limited>(RateLimit.Of(403, null, "0", long.MinValue.ToString(System.Globalization.CultureInfo.InvariantCulture), Now)).Wait);
    }

    [Fact]
    public void A_403_that_is_not_a_limit_and_a_success_with_requests_left_are_clear()
    {
        Assert.IsType<RateLimit.Clear>(RateLimit.Of(403, null, "4000", null, Now));
        Assert.IsType<RateLimit.Clear>(RateLimit.Of(200, null, "4000", null, Now));
    }

    [Fact]
    public void A_success_that_spent_the_last_request_waits_before_the_next() =>
        Assert.IsType<RateLimit.Limited>(RateLimit.Of(200, null, "0", Now.AddSeconds(20).ToUnixTimeSeconds().ToString(System.Globalization.CultureInfo.InvariantCulture), Now));

    [Fact]
    public void A_page_of_deliveries_reads_githubs_fields()
    {
        var page = (DeliveryPage)DeliveryList.Parse("""
            [{"id":12345678,"guid":"0b989ba4-242f-11e5-81e1-c7b6966d2516","delivered_at":"2019-06-03T00:57:16Z","redelivery":false,
              "duration":0.27,"status":"OK","status_code":200,"event":"issues","action":"opened","installation_id":123,
              "repository_id":456,"throttled_at":"2019-06-03T00:57:16Z"},
             {"id":2,"guid":"g","delivered_at":"2019-06-03T00:58:00Z","redelivery":true,"status_code":0,"event":"workflow_job","action":null,"repository_id":null}]
            """u8);

        Assert.Equal(
            [
                new HookDelivery(12345678, "0b989ba4-242f-11e5-81e1-c7b6966d2516", new DateTimeOffset(2019, 6, 3, 0, 57, 16, TimeSpan.Zero), false, 200, "issues", "opened", 456),
                new HookDelivery(2, "g", new DateTimeOffset(2019, 6, 3, 0, 58, 0, TimeSpan.Zero), true, 0, "workflow_job", null, null),
            ],
            page.Attempts);
        Assert.Empty(page.Skipped);
    }

    [Theory]
    [InlineData("""{"id":7,"guid":"g","delivered_at":null,"event":"workflow_job"}""", "delivery 2 of the page (id 7) skipped: delivered_at is null, not a date and time")]
    [InlineData("""{"id":7,"guid":"g","delivered_at":"yesterday","event":"workflow_job"}""", "delivery 2 of the page (id 7) skipped: delivered_at is a string, not a date and time")]
    [InlineData("""{"guid":"g","delivered_at":"2019-06-03T00:58:00Z","event":"workflow_job"}""", "delivery 2 of the page skipped: id is missing")]
    [InlineData("""{"id":"7","guid":"g","delivered_at":"2019-06-03T00:58:00Z","event":"workflow_job"}""", "delivery 2 of the page skipped: id is a string, not a positive integer")]
    [InlineData("""{"id":-7,"guid":"g","delivered_at":"2019-06-03T00:58:00Z","event":"workflow_job"}""", "delivery 2 of the page skipped: id is a number, not a positive integer")]
    [InlineData("""{"id":1e400,"guid":"g","delivered_at":"2019-06-03T00:58:00Z","event":"workflow_job"}""", "delivery 2 of the page skipped: id is a number, not a positive integer")]
    [InlineData("""{"id":7,"guid":"g\u001b[2J","delivered_at":"2019-06-03T00:58:00Z","event":"workflow_job"}""", "delivery 2 of the page (id 7) skipped: guid is a string, not a delivery guid")]
    [InlineData("""{"id":7,"guid":"g","delivered_at":"2019-06-03T00:58:00Z","event":"workflow_job","action":"queued\n"}""", "delivery 2 of the page (id 7) skipped: action is a string, not an action name")]
    [InlineData("""{"id":7,"guid":"g","delivered_at":"2019-06-03T00:58:00Z","event":"workflow_job","status_code":"500"}""", "delivery 2 of the page (id 7) skipped: status_code is a string, not an HTTP status")]
    [InlineData("""{"id":7,"guid":"g","delivered_at":"2019-06-03T00:58:00Z","event":"workflow_job","redelivery":"yes"}""", "delivery 2 of the page (id 7) skipped: redelivery is a string, not true or false")]
    [InlineData("""{"id":7,"guid":"g","delivered_at":"2019-06-03T00:58:00Z","event":"workflow_job","repository_id":{}}""", "delivery 2 of the page (id 7) skipped: repository_id is an object, not a positive integer")]
    [InlineData("""[1,2]""", "delivery 2 of the page skipped: it is an array, not an object")]
    public void A_delivery_that_does_not_read_is_skipped_in_one_line_and_the_rest_is_read(string bad, string problem)
    {
        var page = (DeliveryPage)DeliveryList.Parse(System.Text.Encoding.UTF8.GetBytes(
            $$"""[{"id":1,"guid":"a","delivered_at":"2019-06-03T00:57:16Z","event":"workflow_job"},{{bad}},{"id":3,"guid":"c","delivered_at":"2019-06-03T00:59:16Z","event":"workflow_job"}]"""));

        Assert.Equal([1L, 3L], page.Attempts.Select(a => a.Id));
        Assert.Equal([problem], page.Skipped);
    }

    [Theory]
    [InlineData("""{"message":"Not Found"}""", "an object, not an array of deliveries")]
    [InlineData("""[{"id":1""", "not JSON (")]
    public void A_page_that_is_not_a_list_of_deliveries_says_so(string json, string problem) =>
        Assert.StartsWith(problem, (string)DeliveryList.Parse(System.Text.Encoding.UTF8.GetBytes(json)), StringComparison.Ordinal);

    [Fact]
    public void A_delivery_tells_its_repository_and_job_when_its_payload_does()
    {
        Assert.Equal(
            new AskDetail("octo-org/octo-repo", 2832853555),
            DeliveryList.Describe("""{"id":1,"request":{"headers":{},"payload":{"workflow_job":{"id":2832853555},"repository":{"full_name":"octo-org/octo-repo"}}}}"""u8));
        Assert.Equal(AskDetail.Unknown, DeliveryList.Describe("""{"id":1,"request":{"payload":{"zen":"Keep it logically awesome."}}}"""u8));
        Assert.Equal(AskDetail.Unknown, DeliveryList.Describe("not json"u8));
        Assert.Equal(AskDetail.Unknown, DeliveryList.Describe("""{"request":{"payload":{"workflow_job":{"id":"2832853555"},"repository":{"full_name":"evil/\u001b]8;;http://x\u0007"}}}}"""u8));
        Assert.Equal(new AskDetail(null, 5), DeliveryList.Describe("""{"request":{"payload":{"workflow_job":{"id":5},"repository":{"full_name":["a","b"]}}}}"""u8));
    }

    [Fact]
    public void Text_from_the_API_prints_on_one_line_without_control_characters()
    {
        Assert.Equal("Bad \\u001b[31mred\\u001b[0m \\u000a next", ApiText.OneLine("Bad \u001b[31mred\u001b[0m \n next"));
        Assert.Equal(new string('x', ApiText.Longest) + "…", ApiText.OneLine(new string('x', 10_000)));
        Assert.Equal("rate limit \\u202egnp.exe", DeliveryList.MessageOf("""{"message":"rate limit \u202egnp.exe"}"""));
    }
}
