namespace Cloister.Gateway.ExecutionLogs;

/// <summary>A method's execution logging level (MethodSettings <c>LoggingLevel</c>).</summary>
internal enum ExecutionLogLevel
{
    /// <summary>Nothing is written.</summary>
    Off,

    /// <summary>Only the lines saying why a request failed.</summary>
    Error,

    /// <summary>Every step of the request; with data trace, its parameters, headers and bodies as well.</summary>
    Info,
}
