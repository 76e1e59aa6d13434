namespace Cloister.Model.Iam;

/// <summary>One permissions policy of a role.</summary>
/// <param name="Name">An inline policy's name, or a managed policy's ARN.</param>
/// <param name="Document">The policy document as JSON.</param>
public sealed record RolePolicy(string Name, string Document);
