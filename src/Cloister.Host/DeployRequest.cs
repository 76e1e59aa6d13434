using System.Collections.Immutable;
using Cloister.Model;
using Cloister.Templates;

namespace Cloister.Host;

/// <summary>
/// What <c>cloister up</c> asks the stack host to run: the templates with their parameters, the region, and the
/// function code already made runnable (published, installed) outside the sandbox. Written by the CLI as
/// <c>runtime/deploy.json</c> and read by the host it starts.
/// </summary>
/// <param name="Templates">The templates, one stack each, in the order given.</param>
/// <param name="Region">The region the stacks are deployed in.</param>
/// <param name="IgnoreUnsupported">Whether unknown resource types are skipped with a warning.</param>
/// <param name="PreparedCode">Source code path to the runnable folder made from it (a .NET project's publish output).</param>
public sealed record DeployRequest(
    ImmutableArray<DeployTemplate> Templates,
    string Region,
    bool IgnoreUnsupported,
    ImmutableDictionary<string, string> PreparedCode)
{
    /// <summary>The account every stack is deployed in.</summary>
    public string AccountId { get; init; } = AccountContext.DefaultAccountId;

    /// <summary>The account and region.</summary>
    public AccountContext Account => new(AccountId, Region);

    /// <summary>The template files to load.</summary>
    public IEnumerable<TemplateFile> Files => Templates.Select(t => new TemplateFile(t.Path)
    {
        StackName = t.StackName,
        Parameters = t.Parameters,
    });

    /// <summary>Loads the templates as the host and the CLI both do.</summary>
    public TemplateLoadResult Load(DateTimeOffset now) =>
        TemplateLoader.Load([.. Files], new TemplateLoadOptions { Account = Account, IgnoreUnsupported = IgnoreUnsupported, Now = now });
}

/// <summary>One template of a deployment.</summary>
/// <param name="Path">The template file, absolute.</param>
/// <param name="StackName">The stack name; the file name without extension when null.</param>
/// <param name="Parameters">Parameter values.</param>
public sealed record DeployTemplate(string Path, string? StackName, ImmutableDictionary<string, string> Parameters);
