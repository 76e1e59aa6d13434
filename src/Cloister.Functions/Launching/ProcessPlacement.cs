using Cloister.Model.Compute;

namespace Cloister.Functions.Launching;

/// <summary>Where a function's process should run: the function, and its VPC configuration if it has one.</summary>
/// <param name="FunctionName">The function.</param>
/// <param name="Vpc">Its VPC configuration; null runs it on the host network.</param>
public sealed record ProcessPlacement(string FunctionName, VpcConfig? Vpc);
