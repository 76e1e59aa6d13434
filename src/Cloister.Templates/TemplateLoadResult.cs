using System.Collections.Immutable;
using Cloister.Model;
using Cloister.Model.Validation;

namespace Cloister.Templates;

/// <summary>
/// The outcome of loading templates: the model of every stack together, the stacks with their outputs and
/// resources, the code the deployer must prepare, and every problem (each with file:line:column, logical id and property).
/// </summary>
/// <param name="Model">The model; empty of the stacks' resources when <see cref="Validation"/> has problems.</param>
/// <param name="Stacks">The stacks in the order given.</param>
/// <param name="Code">Each function's local code.</param>
/// <param name="Validation">Every problem; nothing may be created unless it is valid.</param>
/// <param name="Warnings">What was accepted with reservations: unsupported types skipped, IAM policies Cloister has no document for or no role to attach to.</param>
public sealed record TemplateLoadResult(
    CloudModel Model,
    ImmutableArray<StackSummary> Stacks,
    ImmutableArray<FunctionCode> Code,
    ValidationResult Validation,
    ImmutableArray<ValidationProblem> Warnings)
{
    /// <summary>Whether the templates can be deployed.</summary>
    public bool IsValid => Validation.IsValid;
}
