namespace Cloister.Functions;

/// <summary>The outcome of deploying a function: every problem found, or none.</summary>
/// <param name="FunctionName">The function.</param>
/// <param name="Problems">What is wrong, each naming the function and property; empty when deployed.</param>
public sealed record DeployResult(string FunctionName, IReadOnlyList<string> Problems)
{
    /// <summary>True when the function is deployed and can be invoked.</summary>
    public bool Succeeded => Problems.Count == 0;
}
