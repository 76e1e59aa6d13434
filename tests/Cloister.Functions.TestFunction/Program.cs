using Cloister.Functions.TestFunction;
using Cloister.Lambda.RuntimeClient;

await LambdaRuntime.RunAsync(BootstrapHandler.HandleAsync);
