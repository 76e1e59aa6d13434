namespace Cloister.Lambda.RuntimeClient;

/// <summary>What the Runtime API says about one invocation, plus the function's own settings.</summary>
public sealed class LambdaContext
{
    private readonly TimeProvider _timeProvider;

    internal LambdaContext(
        TimeProvider timeProvider,
        string awsRequestId,
        long deadlineUnixMilliseconds,
        string invokedFunctionArn,
        string? traceId,
        string? clientContext,
        string? cognitoIdentity)
    {
        _timeProvider = timeProvider;
        AwsRequestId = awsRequestId;
        Deadline = DateTimeOffset.FromUnixTimeMilliseconds(deadlineUnixMilliseconds);
        InvokedFunctionArn = invokedFunctionArn;
        TraceId = traceId;
        ClientContext = clientContext;
        CognitoIdentity = cognitoIdentity;
    }

    /// <summary>The invocation's request id (<c>Lambda-Runtime-Aws-Request-Id</c>).</summary>
    public string AwsRequestId { get; }

    /// <summary>When the invocation times out (<c>Lambda-Runtime-Deadline-Ms</c>).</summary>
    public DateTimeOffset Deadline { get; }

    /// <summary>The ARN the caller used (<c>Lambda-Runtime-Invoked-Function-Arn</c>).</summary>
    public string InvokedFunctionArn { get; }

    /// <summary>The X-Ray trace header (<c>Lambda-Runtime-Trace-Id</c>), if any.</summary>
    public string? TraceId { get; }

    /// <summary>The mobile client context (<c>Lambda-Runtime-Client-Context</c>), JSON, if any.</summary>
    public string? ClientContext { get; }

    /// <summary>The Cognito identity (<c>Lambda-Runtime-Cognito-Identity</c>), JSON, if any.</summary>
    public string? CognitoIdentity { get; }

    /// <summary>The function's name (<c>AWS_LAMBDA_FUNCTION_NAME</c>).</summary>
    public static string? FunctionName => Environment.GetEnvironmentVariable("AWS_LAMBDA_FUNCTION_NAME");

    /// <summary>The function's version (<c>AWS_LAMBDA_FUNCTION_VERSION</c>).</summary>
    public static string? FunctionVersion => Environment.GetEnvironmentVariable("AWS_LAMBDA_FUNCTION_VERSION");

    /// <summary>The function's memory size in MB (<c>AWS_LAMBDA_FUNCTION_MEMORY_SIZE</c>).</summary>
    public static int MemoryLimitInMB =>
        int.TryParse(Environment.GetEnvironmentVariable("AWS_LAMBDA_FUNCTION_MEMORY_SIZE"), out var size) ? size : 128;

    /// <summary>The log group (<c>AWS_LAMBDA_LOG_GROUP_NAME</c>).</summary>
    public static string? LogGroupName => Environment.GetEnvironmentVariable("AWS_LAMBDA_LOG_GROUP_NAME");

    /// <summary>The log stream (<c>AWS_LAMBDA_LOG_STREAM_NAME</c>).</summary>
    public static string? LogStreamName => Environment.GetEnvironmentVariable("AWS_LAMBDA_LOG_STREAM_NAME");

    /// <summary>Time left before the deadline; zero once it has passed.</summary>
    public TimeSpan RemainingTime
    {
        get
        {
            var left = Deadline - _timeProvider.GetUtcNow();
            return left > TimeSpan.Zero ? left : TimeSpan.Zero;
        }
    }
}
