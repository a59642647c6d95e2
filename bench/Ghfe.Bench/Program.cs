using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Running;
using BenchmarkDotNet.Toolchains.InProcess.Emit;
using Ghfe.Bench;

// A short job keeps the whole benchmark run within a minute; ns/op and bytes allocated are
// stable enough at this size for the target (≤ 20 µs per delivery). In-process: no generated
// project to rebuild, so it runs from any folder.
var config = DefaultConfig.Instance
    .AddJob(Job.ShortRun.WithWarmupCount(5).WithIterationCount(15).WithToolchain(InProcessEmitToolchain.Instance))
    .WithOptions(ConfigOptions.DisableOptimizationsValidator);
BenchmarkRunner.Run<PipelineBenchmarks>(config, args);
