using Ghfe.Webhook;

namespace Ghfe.Tests.Webhook;

/// <summary>The outcomes' wire names: existing delivery-log rows, the alert rules and the dashboard read these exact strings.</summary>
public sealed class DeliveryOutcomeTests
{
    [Fact]
    public void Every_outcome_keeps_its_wire_name()
    {
        Assert.Equal(
            [
                "too_large", "no_room_for_body", "incomplete_body", "missing_header", "invalid_signature", "ignored_event",
                "invalid_payload", "ignored_action", "unsupported_owner_type", "no_matching_rule", "banned_entity", "not_public", "ping",
                "installation_logged", "stored",
                "already_exists", "advanced", "unchanged", "recorded_unseen", "spooled", "unavailable", "unstorable",
                "database_error", "forwarded_2xx", "forwarded_4xx", "forward_redirect", "forward_5xx", "forward_timeout", "forward_failed",
            ],
            DeliveryOutcomes.All.Select(DeliveryOutcomes.Wire));
    }

    [Fact]
    public void A_wire_name_reads_back_as_its_outcome_and_any_other_as_none()
    {
        Assert.All(DeliveryOutcomes.All, outcome => Assert.Equal(outcome, DeliveryOutcomes.Parse(outcome.Wire())));
        Assert.Null(DeliveryOutcomes.Parse("unknown"));
        Assert.Null(DeliveryOutcomes.Parse("Stored"));
        Assert.Null(DeliveryOutcomes.Parse(null));
        Assert.Equal(DeliveryOutcome.Unknown, DeliveryOutcomes.Read("database_unavailable"));
    }

    [Fact]
    public void Every_rejection_and_job_outcome_names_a_distinct_outcome()
    {
        Rejection[] rejections =
        [
            new Rejection.TooLarge(1), new Rejection.NoRoomForBody(5), new Rejection.IncompleteBody(400), new Rejection.MissingHeader("X"),
            new Rejection.InvalidSignature(), new Rejection.IgnoredEvent("push"), new Rejection.InvalidPayload("p"),
            new Rejection.IgnoredAction("waiting"), new Rejection.UnsupportedOwnerType("Bot"), new Rejection.NoMatchingRule(1, []),
        ];
        JobOutcome[] jobs =
        [
            new JobOutcome.Stored(), new JobOutcome.AlreadyExists(), new JobOutcome.Advanced(JobStatus.Pending),
            new JobOutcome.Unchanged(JobStatus.Running), new JobOutcome.RecordedUnseen(),
        ];

        var named = rejections.Select(r => r.Outcome).Concat(jobs.Select(j => j.Outcome)).ToList();

        Assert.Equal(named.Count, named.Distinct().Count());
        Assert.DoesNotContain(DeliveryOutcome.Unknown, named);
        Assert.DoesNotContain(DeliveryOutcome.Ping, named); // a ping is answered, not refused
    }
}
