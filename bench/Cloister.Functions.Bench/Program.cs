using Cloister.Functions.Bench;

// Warm invocation round trip and cold start per runtime, against a bare HTTP round trip on loopback measured in
// the same run. Usage: dotnet run -c Release --project bench/Cloister.Functions.Bench [-- --iterations N --cold N]
// With --lifecycle N, only the cost of starting and stopping an environment's process, N times. With --events N, only
// Event invocations: N of them by --callers C (16) at once, 202s per second.
var events = Arguments.Int(args, "--events", 0);
if (events > 0)
{
    await EventBench.RunAsync(events, Arguments.Int(args, "--callers", 16), Console.Out);
    return;
}

var lifecycle = Arguments.Int(args, "--lifecycle", 0);
if (lifecycle > 0)
{
    await LifecycleBench.RunAsync(lifecycle, Console.Out);
    return;
}

var iterations = Arguments.Int(args, "--iterations", 3000);
var coldStarts = Arguments.Int(args, "--cold", 15);
var repository = Arguments.RepositoryRoot();
await using var bench = await FunctionBench.CreateAsync(repository);
await bench.RunAsync(iterations, coldStarts, Console.Out);
