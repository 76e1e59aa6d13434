using System.Reflection;
using Cloister.Lambda.RuntimeClient;

namespace Cloister.Functions.DotnetHost;

/// <summary>
/// Stands in for <c>Amazon.Lambda.Core.ILambdaContext</c> (or any context interface with the same member names), so
/// handlers written against Amazon's packages run unmodified without those packages being here.
/// </summary>
internal class LambdaContextProxy : DispatchProxy
{
    internal LambdaContext? Context { get; set; }

    internal object? Logger { get; set; }

    internal Lazy<object?>? ClientContext { get; set; }

    internal Lazy<object?>? Identity { get; set; }

    protected override object? Invoke(MethodInfo? targetMethod, object?[]? args)
    {
        var context = Context!;
        return targetMethod?.Name switch
        {
            "get_AwsRequestId" => context.AwsRequestId,
            "get_InvokedFunctionArn" => context.InvokedFunctionArn,
            "get_FunctionName" => LambdaContext.FunctionName,
            "get_FunctionVersion" => LambdaContext.FunctionVersion,
            "get_LogGroupName" => LambdaContext.LogGroupName,
            "get_LogStreamName" => LambdaContext.LogStreamName,
            "get_MemoryLimitInMB" => LambdaContext.MemoryLimitInMB,
            "get_RemainingTime" => context.RemainingTime,
            "get_TraceId" => context.TraceId,
            "get_Logger" => Logger,
            "get_ClientContext" => ClientContext?.Value,
            "get_Identity" => Identity?.Value,
            _ => LambdaValueProxy.DefaultOf(targetMethod),
        };
    }

    /// <summary>A proxy of <paramref name="contextInterface"/> over <paramref name="context"/>.</summary>
    public static object Create(Type contextInterface, LambdaContext context)
    {
        var proxy = (LambdaContextProxy)Create(contextInterface, typeof(LambdaContextProxy));
        proxy.Context = context;
        var loggerType = contextInterface.GetProperty("Logger")?.PropertyType;
        if (loggerType is { IsInterface: true })
        {
            var logger = (LambdaLoggerProxy)Create(loggerType, typeof(LambdaLoggerProxy));
            logger.RequestId = context.AwsRequestId;
            proxy.Logger = logger;
        }

        // Built on first use, as Lambda's runtime does: most handlers never look.
        var clientContext = contextInterface.GetProperty("ClientContext")?.PropertyType;
        proxy.ClientContext = new Lazy<object?>(() => CallerContext.ClientContext(clientContext, context.ClientContext));
        var identity = contextInterface.GetProperty("Identity")?.PropertyType;
        proxy.Identity = new Lazy<object?>(() => CallerContext.Identity(identity, context.CognitoIdentity));
        return proxy;
    }
}
