namespace Cloister.Functions.DotnetHost;

/// <summary>The handler cannot be loaded; reported to <c>/runtime/init/error</c> with its Lambda error type.</summary>
internal sealed class HandlerLoadException(string errorType, string message) : Exception(message)
{
    public string ErrorType { get; } = errorType;
}
