using BenchmarkDotNet.Running;

BenchmarkSwitcher.FromAssembly(typeof(Cloister.Policy.Bench.PolicyEvaluationBenchmarks).Assembly).Run(args);
