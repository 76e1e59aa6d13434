namespace Amazon.Lambda.Core;

/// <summary>The shape of Amazon.Lambda.Core's context, so the dotnet8 host's stand-in is exercised as a real handler sees it.</summary>
public interface ILambdaContext
{
    string AwsRequestId { get; }

    IClientContext ClientContext { get; }

    ICognitoIdentity Identity { get; }

    string FunctionName { get; }

    int MemoryLimitInMB { get; }

    TimeSpan RemainingTime { get; }

    ILambdaLogger Logger { get; }
}
