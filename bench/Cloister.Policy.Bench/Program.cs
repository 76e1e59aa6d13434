using BenchmarkDotNet.Running;
using Cloister.Policy.Bench;

if (args is ["throughput"])
{
    ThroughputCheck.Run(Console.Out);
    return;
}

BenchmarkSwitcher.FromAssembly(typeof(PolicyEvaluationBenchmarks).Assembly).Run(args);
