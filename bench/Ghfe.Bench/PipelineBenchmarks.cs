using System.Text;
using System.Text.Json.Nodes;
using BenchmarkDotNet.Attributes;
using Ghfe.Configuration;
using Ghfe.Webhook;

namespace Ghfe.Bench;

/// <summary>The pure pipeline over a real ~8 KB queued delivery (GitHub's example, routed to the public label).</summary>
[MemoryDiagnoser]
public class PipelineBenchmarks
{
    private static readonly byte[] Secret = Signature.SecretBytes("bench-secret");

    private byte[] _body = [];
    private WebhookRequest _request = new(null, null, null, ReadOnlyMemory<byte>.Empty);
    private WebhookSettings _settings = null!;

    [GlobalSetup]
    public void Setup()
    {
        var payload = JsonNode.Parse(File.ReadAllBytes(Path.Combine(AppContext.BaseDirectory, "workflow_job.queued.json")))!;
        payload["workflow_job"]!["labels"] = new JsonArray(JsonValue.Create("ubuntu-24.04-riscv"));
        _body = Encoding.UTF8.GetBytes(payload.ToJsonString());
        _request = new WebhookRequest("workflow_job", Signature.Compute(Secret, _body), "bench", _body);
        var routing = RoutingFile.Load(RoutingFile.ShippedPath, prod: false).Match(Right: c => c, Left: p => throw new InvalidOperationException(p));
        var environment = new GhfeSettings(["bench-secret"], null, false, LanguageExt.Prelude.None, RoutingFile.ShippedPath, Microsoft.Extensions.Logging.LogLevel.Information);
        _settings = new WebhookSettings([Secret], routing.Routing, LiveRouting.ForwardingOf(environment, routing), routing.Admission);
        if (!Pipeline.Decide(_request, _settings).Decision.IsRight)
        {
            throw new InvalidOperationException("the benchmark delivery must reach a command");
        }
    }

    [Benchmark(Description = "signature (HMAC-SHA256, ~8 KB)")]
    public bool Signature_() => Signature.Verify(_settings.Secrets, _request).IsRight;

    [Benchmark(Description = "parse + route")]
    public bool ParseAndRoute() => Payload.Parse(_body).Bind(payload => Pipeline.Route(payload, _settings.Routing)).IsRight;

    /// <summary>What the edge calls for every delivery: decision and delivery-log summary, from one parse.</summary>
    [Benchmark(Description = "whole pipeline")]
    public bool WholePipeline() => Pipeline.Decide(_request, _settings).Decision.IsRight;
}
