using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace Cloister.Gateway.Tests.Infrastructure;

/// <summary>Keeps every message the gateway logs, formatted, so tests can assert what an operator would read.</summary>
public sealed class RecordingLoggerFactory : ILoggerFactory, ILogger
{
    public ConcurrentQueue<string> Messages { get; } = new();

    public ILogger CreateLogger(string categoryName) => this;

    public void AddProvider(ILoggerProvider provider)
    {
    }

    public IDisposable? BeginScope<TState>(TState state)
        where TState : notnull => null;

    public bool IsEnabled(LogLevel logLevel) => true;

    public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
        Messages.Enqueue(formatter(state, exception));

    public void Dispose()
    {
    }
}
