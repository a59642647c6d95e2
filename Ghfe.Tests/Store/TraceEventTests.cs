using Ghfe.Pages;
using Ghfe.Store;

namespace Ghfe.Tests.Store;

/// <summary>A delivery-log row as the control plane's event, and the ids /trace takes.</summary>
public sealed class TraceEventTests
{
    private static readonly DateTimeOffset At = new(2026, 12, 6, 5, 0, 0, TimeSpan.FromHours(2));

    private static TraceEvent Row(string? eventName, string? action, string outcome, long? jobId = 7, string? repository = "o/r") =>
        TraceEvent.OfDelivery(1, eventName, action, outcome, 3, null, null, 42, "o", At, jobId, repository);

    [Theory]
    [InlineData("workflow_job", "queued", "stored", "workflow_job.queued", "job_stored")]
    [InlineData("workflow_job", "queued", "already_exists", "workflow_job.queued", "job_already_exists")]
    [InlineData("workflow_job", "in_progress", "advanced", "workflow_job.in_progress", "job_marked_running")]
    [InlineData("workflow_job", "completed", "unchanged", "workflow_job.completed", "job_marked_completed")]
    [InlineData("workflow_job", "completed", "recorded_unseen", "workflow_job.completed", "job_not_found")]
    [InlineData("workflow_job", "waiting", "ignored_action", "workflow_job.waiting", "ignored_action")]
    [InlineData("workflow_job", "queued", "no_matching_rule", "workflow_job.queued", "ignored_no_label")]
    [InlineData("workflow_run", "completed", "ignored_event", "workflow_run.completed", "ignored_event")]
    [InlineData("ping", null, "ping", "ping", "ok")]
    public void The_event_is_named_and_its_outcome_said_as_the_control_plane_does(string eventName, string? action, string outcome, string named, string said)
    {
        var row = Row(eventName, action, outcome);
        Assert.Equal((TraceEvent.Webhook, named, said), (row.Source, row.Event, row.Outcome));
    }

    [Theory]
    [InlineData("spooled")]
    [InlineData("database_error")]
    [InlineData("an_outcome_of_a_later_version")]
    public void An_outcome_the_control_plane_has_no_word_for_is_ghfes_own(string outcome) =>
        Assert.Equal(outcome, Row("workflow_job", "queued", outcome).Outcome);

    [Fact]
    public void Only_a_workflow_job_event_names_its_job_and_repository()
    {
        Assert.Equal(("7", "o/r"), (Row("workflow_job", "queued", "stored").JobId, Row("workflow_job", "queued", "stored").RepoFullName));
        Assert.Equal((null, null), (Row("workflow_run", "completed", "ignored_event").JobId, Row("workflow_run", "completed", "ignored_event").RepoFullName));
        Assert.Equal((null, null), (Row("ping", null, "ping").JobId, Row("ping", null, "ping").RepoFullName));
    }

    [Fact]
    public void The_json_leaves_absent_fields_out_and_says_times_in_utc()
    {
        Assert.Equal("""{"events":[]}""", TraceEvent.Serialize([]));
        Assert.Equal(
            """{"events":[{"id":1,"source":"webhook","event":"workflow_job.queued","outcome":"job_stored","installation_id":3,"entity_id":42,"entity_name":"o","received_at":"2026-12-06T03:00:00Z","job_id":"7","repo_full_name":"o/r"}]}""",
            TraceEvent.Serialize([Row("workflow_job", "queued", "stored")]));
    }

    [Theory]
    [InlineData("1", 1L)]
    [InlineData("9223372036854775807", long.MaxValue)]
    public void An_id_is_a_positive_64_bit_number(string text, long id) =>
        Assert.Equal(id, TraceId.Parse(text, "entity").IfLeft(0));

    [Theory]
    [InlineData("0")]
    [InlineData("-1")]
    [InlineData("+1")]
    [InlineData(" 1")]
    [InlineData("1e3")]
    [InlineData("9223372036854775808")]
    [InlineData("abc")]
    [InlineData("")]
    public void Anything_else_is_refused_saying_what_an_id_is(string text) =>
        Assert.Equal(
            $"Bad request: the id in /trace/job/<id> is a positive whole number, as in /trace/job/21003710 (got \"{text}\")",
            TraceId.Parse(text, "job").Match(Right: id => $"{id}", Left: problem => problem));
}
