using Ghfe.History;
using Ghfe.Store;
using Ghfe.Webhook;

namespace Ghfe.Tests.Pages;

/// <summary>A fixed dataset and a fixed clock, so that rendered pages can be compared byte for byte.</summary>
public static class SampleData
{
    public static readonly DateTimeOffset Now = new(2026, 11, 28, 12, 0, 0, TimeSpan.Zero);

    /// <summary>Production's App ids: the organization App's, the personal App's.</summary>
    public static readonly AppIds Apps = new(2167633, 3131217);

    public const string HostileLabel = "linux.riscv64.xlarge<script>alert('pwned')</script>";

    public static readonly IReadOnlyList<ActiveJob> Jobs =
    [
        new(101, "pending", 21003710, "pytorch", ["linux.riscv64.xlarge"], "scw-em-rv1", "pytorch/pytorch", "https://github.com/pytorch/pytorch/actions/runs/1/job/101", Now.AddMinutes(-42)),
        new(102, "running", 21003710, "pytorch", ["linux.riscv64.xlarge"], "scw-em-rv1", "pytorch/pytorch", "https://github.com/pytorch/pytorch/actions/runs/1/job/102", Now.AddHours(-3), Now.AddHours(-3).AddMinutes(10)),
        new(103, "pending", 21003710, "pytorch", [HostileLabel], "scw-em-rv1", "pytorch/vision", "javascript:alert(1)", Now.AddSeconds(-9)),
        new(201, "pending", 134263123, "ggml-org", ["ubuntu-24.04-riscv"], "cloudv10x-jupiter", "ggml-org/llama.cpp", null, Now.AddDays(-2).AddHours(-5)),
    ];

    /// <summary>The live jobs counted as the store counts them: by entity, labels, pool and status.</summary>
    public static IReadOnlyList<LiveJobCount> CountsOf(IEnumerable<ActiveJob> jobs) =>
        [.. jobs.GroupBy(job => (job.EntityId, Labels: string.Join('\u0001', job.Labels), job.Pool, job.Status))
            .Select(group => new LiveJobCount(group.Key.EntityId, group.First().EntityName, group.First().Labels, group.Key.Pool, group.Key.Status, group.Count(), group.Min(job => job.CreatedAt)))];

    public static readonly IReadOnlyList<ActiveWorker> Workers =
    [
        new("rv-pytorch-0a1b", "running", 21003710, "pytorch", ["linux.riscv64.xlarge"], "scw-em-rv1", "scw-node-3", Now.AddHours(-3)),
        new("rv-ggml-9f8e", "pending", 134263123, null, ["ubuntu-24.04-riscv"], "cloudv10x-jupiter", null, Now.AddMinutes(-1)),
        new("rv-idle-7c6d", "running", 42, "someone", ["ubuntu-24.04-riscv"], "scw-em-rv1", "scw-node-1", Now.AddMinutes(-75)),
    ];

    /// <summary>Three days, two jobs a page.</summary>
    public static readonly HistoryFilter Filter = new(new DateTimeOffset(2026, 11, 26, 0, 0, 0, TimeSpan.Zero), new DateTimeOffset(2026, 11, 29, 0, 0, 0, TimeSpan.Zero), 0, 2, null, null, null, null);

    public static readonly HistoryData History = new(
        [
            new(21003710, "pytorch", "scw-em-rv1", 1, 1, 3, 1, 12.5, 301, 1800, 5400.4),
            new(134263123, "ggml-org", "cloudv10x-jupiter", 1, 0, 0, 0, null, null, null, null),
        ],
        [
            new(new DateOnly(2026, 11, 26), "scw-em-rv1", 2),
            new(new DateOnly(2026, 11, 27), "cloudv10x-jupiter", 1),
            new(new DateOnly(2026, 11, 27), "scw-em-rv1", 3),
            new(new DateOnly(2026, 11, 28), "scw-em-rv1", 1),
        ],
        [
            new(301, "completed", "pytorch", "pytorch/pytorch", ["linux.riscv64.xlarge"], "scw-em-rv1", "https://github.com/pytorch/pytorch/actions/runs/3/job/301", Now.AddHours(-2), Now.AddHours(-2).AddSeconds(15), Now.AddMinutes(-30)),
            new(302, "failed", "pytorch", "pytorch/vision", [HostileLabel], "scw-em-rv1", null, Now.AddHours(-5), null, null),
        ]);
}
