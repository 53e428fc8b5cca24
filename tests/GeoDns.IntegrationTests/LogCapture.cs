using Microsoft.Extensions.Logging;

namespace GeoDns.IntegrationTests;

/// <summary>
/// Every line the server logs through its logger factory, kept in memory beside the console, for a test to read:
/// "Level Category: message", then the exception (type, message and stack) when one was logged.
/// </summary>
public sealed class LogCapture : ILoggerProvider
{
    private readonly List<string> _lines = [];

    public string Text
    {
        get { lock (_lines) return string.Join('\n', _lines); }
    }

    public ILogger CreateLogger(string categoryName) => new Logger(this, categoryName);

    public void Dispose() { }

    private sealed class Logger(LogCapture capture, string category) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => logLevel != LogLevel.None;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            var line = $"{logLevel} {category}: {formatter(state, exception)}" + (exception is null ? "" : $"\n{exception}");
            lock (capture._lines) capture._lines.Add(line);
        }
    }
}
