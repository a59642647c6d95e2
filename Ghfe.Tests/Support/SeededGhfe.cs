using System.Text.Json.Nodes;

namespace Ghfe.Tests.Support;

/// <summary>A ghfe with a few dozen real deliveries behind it and workers as the scheduler would write them.</summary>
public static class SeededGhfe
{
    /// <summary>The delivery of job 8100000, which no rule routes.</summary>
    public const string IgnoredDelivery = "5f0c6a4e-3b1d-4c2e-9a7f-8100000ab0cd";

    /// <summary>One word of 61 characters (no space or hyphen to wrap at) that routes: it contains linux.riscv64.2xlarge.</summary>
    public const string OversizedLabel = "linux.riscv64.2xlarge.nvidia.h100.sxm5.eightgpus.numaisolated";

    /// <summary>The pod the scheduler gave job 8000012: a name of 63 characters, Kubernetes' longest.</summary>
    public const string LongPod = "riscv-runner-riseproject-dev-executorch-8000012-2xlarge-h100-x9";

    /// <summary>Routes (it contains linux.riscv64.xlarge) and tries to run script three ways.</summary>
    public const string HostileLabel = "linux.riscv64.xlarge<script>window.__pwned=1</script><img src=x onerror=\"window.__pwned=2\">";

    private static readonly (long Owner, string Login, string Repository, string[] Labels)[] Entities =
    [
        (21003710, "pytorch", "pytorch/pytorch", ["linux.riscv64.xlarge"]),
        (134263123, "ggml-org", "ggml-org/llama.cpp", ["ubuntu-24.04-riscv"]),
        (152654596, "riseproject-dev", "riseproject-dev/executorch", ["linux.riscv64.2xlarge", "self-hosted", OversizedLabel]),
        (42, "someone", "someone/project", ["ubuntu-24.04-riscv"]),
        (21003710, "pytorch", "pytorch/vision", [HostileLabel]),
    ];

    public static async Task SeedAsync(GhfeServer ghfe, string database)
    {
        for (var i = 0; i < 30; i++)
        {
            var (owner, login, repository, labels) = Entities[i % Entities.Length];
            var jobId = 8_000_000 + i;
            await Send(ghfe, "queued", jobId, owner, login, repository, labels);
            if (i % 3 != 0)
            {
                await Send(ghfe, "in_progress", jobId, owner, login, repository, labels);
            }

            if (i % 3 == 2 && i < 20)
            {
                await Send(ghfe, "completed", jobId, owner, login, repository, labels);
            }
        }

        // Demand nobody routes yet, for /deliveries.
        await Send(ghfe, "queued", 8_100_000, 42, "someone", "someone/project", ["ubuntu-26.04-riscv"], expectStored: false, deliveryId: IgnoredDelivery);
        await Send(ghfe, "queued", 8_100_001, 42, "someone", "someone/project", ["ubuntu-26.04-riscv"], expectStored: false);

        // The scheduler names the pod of a job: as long as Kubernetes allows (63 characters).
        await Rows.ExecuteAsync(database, $"UPDATE staging.jobs SET k8s_pod = '{LongPod}' WHERE job_id = 8000012");

        await Rows.ExecuteAsync(database, """
            INSERT INTO staging.workers (pod_name, provider, entity_id, entity_name, job_labels, k8s_pool, k8s_image, k8s_node, status, created_at)
            VALUES ('rv-pytorch-a1', 'github', 21003710, 'pytorch', '["linux.riscv64.xlarge"]', 'scw-em-rv1', 'img', 'scw-node-3', 'running', now() - interval '12 minutes'),
                   ('rv-ggml-b2', 'github', 134263123, 'ggml-org', '["ubuntu-24.04-riscv"]', 'cloudv10x-jupiter', 'img', NULL, 'pending', now() - interval '40 seconds'),
                   ('rv-done-c3', 'github', 42, 'someone', '["ubuntu-24.04-riscv"]', 'scw-em-rv1', 'img', 'scw-node-1', 'completed', now() - interval '2 hours')
            """);

        // The delivery log is written off the answer's path: wait until it has caught up.
        for (var attempt = 0; attempt < 50 && !(await ghfe.Client.GetStringAsync("/deliveries.json?outcome=no_matching_rule")).Contains("8100001", StringComparison.Ordinal); attempt++)
        {
            await Task.Delay(100);
        }
    }

    private static async Task Send(GhfeServer ghfe, string action, long jobId, long owner, string login, string repository, string[] labels, bool expectStored = true, string? deliveryId = null)
    {
        var payload = Payloads.Queued(labels, owner, login, repository: repository);
        payload["action"] = action;
        payload["workflow_job"]!["id"] = jobId;
        payload["workflow_job"]!["html_url"] = JsonValue.Create($"https://github.com/{repository}/actions/runs/1/job/{jobId}");
        var (status, text) = await ghfe.DeliverAsync("workflow_job", Payloads.Serialize(payload), deliveryId);
        if (status != 200 || (expectStored && text.StartsWith("Ignoring", StringComparison.Ordinal)))
        {
            throw new InvalidOperationException($"seeding failed: {status} {text}");
        }
    }
}
