namespace Amazon.Lambda.Core;

/// <summary>The shape of Amazon.Lambda.Core's logger.</summary>
public interface ILambdaLogger
{
    void LogLine(string message);

    void LogInformation(string message);
}
