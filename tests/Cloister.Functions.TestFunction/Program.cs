using Cloister.Functions.TestFunction;
using Cloister.Lambda.RuntimeClient;

// "--exit" only starts the runtime and ends: the benchmark's baseline for a cold start of this same binary.
if (args is ["--exit"])
{
    return;
}

await LambdaRuntime.RunAsync(BootstrapHandler.HandleAsync);
