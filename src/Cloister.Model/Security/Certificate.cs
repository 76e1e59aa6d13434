using System.Collections.Immutable;

namespace Cloister.Model.Security;

/// <summary>An ACM certificate; in Cloister, issued by the sandbox CA.</summary>
/// <param name="Id">Its ARN.</param>
/// <param name="LogicalId">The template's logical id.</param>
/// <param name="DomainName">Its subject name.</param>
/// <param name="SubjectAlternativeNames">Further names.</param>
public sealed record Certificate(string Id, string LogicalId, string DomainName, ImmutableArray<string> SubjectAlternativeNames) : IResource;
