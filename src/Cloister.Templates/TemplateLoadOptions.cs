using Cloister.Model;
using Cloister.Model.Identifiers;

namespace Cloister.Templates;

/// <summary>How templates are loaded.</summary>
public sealed record TemplateLoadOptions
{
    /// <summary>The account and region the stacks are deployed in (<c>AWS::Region</c>, ARNs, service names).</summary>
    public AccountContext Account { get; init; } = AccountContext.Default;

    /// <summary>Makes every physical id; seed it for reproducible ids.</summary>
    public IdGenerator Ids { get; init; } = new();

    /// <summary>Whether a resource type Cloister does not support is a warning (the resource is skipped) rather than an error.</summary>
    public bool IgnoreUnsupported { get; init; }

    /// <summary>When the deployments are made.</summary>
    public DateTimeOffset Now { get; init; } = DateTimeOffset.UtcNow;
}
