using Cloister.Functions.DotnetHost;
using Cloister.Lambda.RuntimeClient;

using var client = RuntimeApiClient.FromEnvironment();
HandlerInvoker invoker;
try
{
    invoker = HandlerInvoker.Load(
        Environment.GetEnvironmentVariable("LAMBDA_TASK_ROOT") ?? Directory.GetCurrentDirectory(),
        Environment.GetEnvironmentVariable("_HANDLER") ?? string.Empty);
}
catch (HandlerLoadException exception)
{
    await Console.Error.WriteLineAsync($"{exception.ErrorType}: {exception.Message}").ConfigureAwait(false);
    client.ReportInitError(new LambdaError(exception.ErrorType, exception.Message, []));
    return 1;
}

await LambdaRuntime.RunAsync(client, invoker.InvokeAsync).ConfigureAwait(false);
return 0;
