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
    /// <c>…DotnetHandlers::DescribeContext</c>: the client context and Cognito identity as the handler sees them through
    /// Amazon.Lambda.Core's interfaces, each member written as it is (null included), a missing object as null.
    /// </summary>
    public static Stream DescribeContext(TestEvent input, ILambdaContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var output = new MemoryStream();
        using (var json = new System.Text.Json.Utf8JsonWriter(output))
        {
            json.WriteStartObject();
            if (context.ClientContext is { } client)
            {
                json.WriteStartObject("clientContext");
                if (client.Client is { } application)
                {
                    json.WriteStartObject("client");
                    json.WriteString("installationId", application.InstallationId);
                    json.WriteString("appTitle", application.AppTitle);
                    json.WriteString("appVersionName", application.AppVersionName);
                    json.WriteString("appVersionCode", application.AppVersionCode);
                    json.WriteString("appPackageName", application.AppPackageName);
                    json.WriteEndObject();
                }
                else
                {
                    json.WriteNull("client");
                }

                WriteDictionary(json, "custom", client.Custom);
                WriteDictionary(json, "environment", client.Environment);
                json.WriteEndObject();
            }
            else
            {
                json.WriteNull("clientContext");
            }

            if (context.Identity is { } identity)
            {
                json.WriteStartObject("identity");
                json.WriteString("identityId", identity.IdentityId);
                json.WriteString("identityPoolId", identity.IdentityPoolId);
                json.WriteEndObject();
            }
            else
            {
                json.WriteNull("identity");
            }

            json.WriteEndObject();
        }

        output.Position = 0;
        return output;
    }

    /// <summary>
    /// <c>…DotnetHandlers::Record</c>: the "record" action with the host's own context type, which carries the client
    /// context as the JSON it came as.
    /// </summary>
    public static Stream Record(TestEvent input, Cloister.Lambda.RuntimeClient.LambdaContext context)
    {
        ArgumentNullException.ThrowIfNull(input);
        ArgumentNullException.ThrowIfNull(context);
        return new MemoryStream(ContextRecorder.Record(context.AwsRequestId, context.ClientContext, input.Fail));
    }

    private static void WriteDictionary(System.Text.Json.Utf8JsonWriter json, string name, IDictionary<string, string>? values)
    {
        if (values is null)
        {
            json.WriteNull(name);
            return;
        }

        json.WriteStartObject(name);
        foreach (var (key, value) in values)
        {
            json.WriteString(key, value);
        }

        json.WriteEndObject();
    }
}
