using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace Cloister.Functions.Tests.Support;

/// <summary>Keeps every message Cloister logs (its event id and text), so a test can wait for one.</summary>
public sealed class RecordingLogger : ILoggerProvider, ILogger
{
    private readonly ConcurrentQueue<(int EventId, string Message)> _entries = new();

    public IReadOnlyList<(int EventId, string Message)> Entries => [.. _entries];

    public ILoggerFactory Factory() => LoggerFactory.Create(builder => builder.SetMinimumLevel(LogLevel.Trace).AddProvider(this));

    /// <summary>How many messages with <paramref name="eventId"/> were logged.</summary>
    public int Count(int eventId) => _entries.Count(e => e.EventId == eventId);

    public ILogger CreateLogger(string categoryName) => this;

    public IDisposable? BeginScope<TState>(TState state)
        where TState : notnull => null;

    public bool IsEnabled(LogLevel logLevel) => true;

    public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
        _entries.Enqueue((eventId.Id, formatter(state, exception)));

    public void Dispose()
    {
    }
}
