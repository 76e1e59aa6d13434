using Amazon.Lambda.Core;

namespace Cloister.Functions.TestFunction;

/// <summary>The dotnet8 handler: <c>Cloister.Functions.TestFunction::Cloister.Functions.TestFunction.DotnetHandlers::HandleAsync</c>.</summary>
public sealed class DotnetHandlers
{
    // Instance state lives as long as the environment: Lambda's .NET runtime creates the handler type once.
    private int _invocations;

    public async Task<Stream> HandleAsync(TestEvent input, ILambdaContext context)
    {
        ArgumentNullException.ThrowIfNull(input);
        ArgumentNullException.ThrowIfNull(context);
        _invocations++;
        if (input.Action == "count")
        {
            return new MemoryStream(System.Text.Encoding.UTF8.GetBytes($"{{\"count\":{_invocations}}}"));
        }

        if (input.Action == "log")
        {
            context.Logger.LogInformation($"logger says hi, {context.FunctionName} has {context.MemoryLimitInMB} MB");
        }

        var payload = System.Text.Json.JsonSerializer.SerializeToUtf8Bytes(input, TestEventContext.Default.TestEvent);
        return new MemoryStream(await TestActions.RunAsync(input.Action, input.Ms, context.AwsRequestId, payload));
    }

    /// <summary>
    /// <c>…DotnetHandlers::Record</c>: the "record" action with the host's own context type, which carries the client
    /// context (the Amazon interface's stand-in here does not).
    /// </summary>
    public static Stream Record(TestEvent input, Cloister.Lambda.RuntimeClient.LambdaContext context)
    {
        ArgumentNullException.ThrowIfNull(input);
        ArgumentNullException.ThrowIfNull(context);
        return new MemoryStream(ContextRecorder.Record(context.AwsRequestId, context.ClientContext, input.Fail));
    }
}
