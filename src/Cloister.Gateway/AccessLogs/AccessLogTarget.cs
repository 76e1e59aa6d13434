using Cloister.Gateway.Templates;

namespace Cloister.Gateway.AccessLogs;

/// <summary>A stage's access log: the compiled <c>$context</c> format and the file lines go to.</summary>
/// <param name="Format">The line format.</param>
/// <param name="FilePath">The file, <c>{StatePaths.AccessLogs}/{apiId}_{stage}.log</c>.</param>
internal sealed record AccessLogTarget(CompiledTemplate Format, string FilePath);
