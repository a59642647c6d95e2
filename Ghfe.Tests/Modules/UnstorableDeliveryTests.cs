using Ghfe.Tests.Support;
using Ghfe.Webhook;

namespace Ghfe.Tests.Modules;

/// <summary>
/// Issue 26: values past what GitHub sends are a 400 naming the field, what the limits let through
/// fits PostgreSQL's indexes, and data PostgreSQL refuses anyway is the sender's 4xx for that one
/// delivery — never a 500, and never its neighbours' failure.
/// </summary>
[Collection(PostgresCollection.Name)]
public sealed class UnstorableDeliveryTests(PostgresCluster cluster) : GhfeOnFreshDatabase(cluster)
{
    private static byte[] Queued(long jobId, string[] labels, string? htmlUrl = null)
    {
        // pytorch's rule takes extra labels next to the one it routes by.
        var payload = Payloads.Queued(labels);
        payload["workflow_job"]!["id"] = jobId;
        if (htmlUrl is not null)
        {
            payload["workflow_job"]!["html_url"] = htmlUrl;
        }

        return Payloads.Serialize(payload);
    }

    [Fact]
    public async Task A_2700_character_label_is_a_400_naming_it_not_a_500()
    {
        var answer = await Ghfe.DeliverAsync("workflow_job", Queued(4001, ["linux.riscv64.xlarge", new string('x', 2700)]));

        Assert.Equal((400, "Invalid payload: workflow_job.labels[1] is longer than 256 characters"), answer);
        Assert.Empty(await Rows.JobsAsync(Database));
    }

    [Fact]
    public async Task The_most_the_limits_let_through_fits_the_indexes()
    {
        // As many labels as allowed, and as many bytes: three-byte characters that do not compress.
        var random = new Random(26);
        var labels = new List<string> { "linux.riscv64.xlarge" };
        var bytes = labels[0].Length;
        while (labels.Count < FieldLimits.Labels)
        {
            var length = Math.Min(FieldLimits.LabelLength, (FieldLimits.LabelBytes - bytes) / 3 / (FieldLimits.Labels - labels.Count));
            var label = new string([.. Enumerable.Range(0, length).Select(_ => (char)random.Next(0x4E00, 0x9FFF))]);
            labels.Add(label);
            bytes += System.Text.Encoding.UTF8.GetByteCount(label);
        }

        labels[^1] += new string([.. Enumerable.Range(0, (FieldLimits.LabelBytes - bytes) / 3).Select(_ => (char)random.Next(0x4E00, 0x9FFF))]);
        var total = labels.Sum(System.Text.Encoding.UTF8.GetByteCount);

        // And the longest names, which idx_jobs_repo holds lowered.
        var payload = Payloads.Queued([.. labels]);
        payload["workflow_job"]!["id"] = 4002;
        payload["repository"]!["full_name"] = new string([.. Enumerable.Range(0, FieldLimits.NameLength).Select(_ => (char)random.Next(0x0400, 0x04FF))]);
        payload["repository"]!["owner"]!["login"] = new string([.. Enumerable.Range(0, FieldLimits.NameLength).Select(_ => (char)random.Next(0x4E00, 0x9FFF))]);

        Assert.InRange(total, FieldLimits.LabelBytes - 2, FieldLimits.LabelBytes);
        Assert.Equal((200, "Job 4002 stored."), await Ghfe.DeliverAsync("workflow_job", Payloads.Serialize(payload)));
        Assert.Equal(FieldLimits.Labels, System.Text.Json.JsonDocument.Parse(Assert.Single(await Rows.JobsAsync(Database)).JobLabels).RootElement.GetArrayLength());
    }

    /// <summary>Stands in for any data PostgreSQL cannot hold: the table refuses one job's row as an index would.</summary>
    private Task RefusePoisonAsync() => Rows.ExecuteAsync(Database, """
            CREATE FUNCTION staging.refuse_poison() RETURNS trigger LANGUAGE plpgsql AS $$
            BEGIN
                IF NEW.html_url LIKE '%poison%' THEN
                    RAISE EXCEPTION 'index row size 2712 exceeds btree version 4 maximum 2704' USING ERRCODE = '54000';
                END IF;
                RETURN NEW;
            END $$;
            CREATE TRIGGER refuse_poison BEFORE INSERT ON staging.jobs FOR EACH ROW EXECUTE FUNCTION staging.refuse_poison();
            """);

    [Fact]
    public async Task Data_PostgreSQL_refuses_is_a_422_for_that_delivery_alone()
    {
        await RefusePoisonAsync();

        // Sent together, so that the poisoned job shares a batch with others.
        var answers = await Task.WhenAll(Enumerable.Range(0, 24).Select(i =>
            Ghfe.DeliverAsync("workflow_job", Queued(5000 + i, ["linux.riscv64.xlarge"], i == 7 ? "https://github.com/poison" : null))));
        var payload = Payloads.Queued(["linux.riscv64.xlarge"]);
        payload["action"] = "completed";
        payload["workflow_job"]!["id"] = 6000;
        payload["workflow_job"]!["html_url"] = "https://github.com/poison";
        var unseen = await Ghfe.DeliverAsync("workflow_job", Payloads.Serialize(payload));

        Assert.Equal(
            (422, "Job 5007 not stored: PostgreSQL cannot hold this delivery's data (54000 index row size 2712 exceeds btree version 4 maximum 2704)."),
            answers[7]);
        Assert.All(answers.Where((_, i) => i != 7), answer => Assert.Equal(200, answer.Item1));
        Assert.Equal(422, unseen.Item1);
        Assert.Equal(23, (await Rows.JobsAsync(Database)).Count);
    }

    [Fact]
    public async Task A_spooled_command_PostgreSQL_refuses_is_set_aside_not_replayed_forever()
    {
        await RefusePoisonAsync();
        var spool = Path.Combine(Path.GetTempPath(), $"ghfe-spool-{Guid.NewGuid():N}");
        var journal = new Ghfe.Store.Journal(spool);
        JobRecord Job(long id, string? url) =>
            new(id, "Organization", 21003710, "pytorch", "pytorch/pytorch", 1, ["linux.riscv64.xlarge"], "scw-em-rv1", "image", url);
        await journal.AppendAsync(new JobCommand.Enqueue(Job(8001, "https://github.com/poison")), "d-poison", CancellationToken.None);
        await journal.AppendAsync(new JobCommand.Enqueue(Job(8002, null)), "d-behind", CancellationToken.None);

        await using var ghfe = await GhfeServer.StartAsync(Database, settings: ("GHFE_SPOOL_DIR", spool));
        var stored = new List<long>();
        var backlog = -1;
        for (var attempt = 0; attempt < 100 && (stored.Count == 0 || backlog != 0); attempt++)
        {
            await Task.Delay(100);
            stored = [.. (await Rows.JobsAsync(Database)).Select(row => row.JobId)];
            backlog = new Ghfe.Store.Journal(spool).Backlog;
        }

        // The command behind it went in, nothing is left to replay, and the refused one is kept on disk.
        Assert.Equal([8002L], stored);
        Assert.Equal(0, backlog);
        var setAside = await File.ReadAllLinesAsync(journal.SetAsidePath);
        Assert.Contains("8001", Assert.Single(setAside), StringComparison.Ordinal);
    }
}
