namespace Cloister.Lambda.RuntimeClient.Tests;

/// <summary>
/// The test classes whose runtime loops take invocations: each invocation sets the process's <c>_X_AMZN_TRACE_ID</c>
/// (as Lambda's runtimes do), one variable for the whole process, so these classes run one after another. In
/// parallel, another class's invocation without a trace header cleared the variable between the loop setting it and
/// the test reading it.
/// </summary>
[CollectionDefinition(Name)]
public sealed class ProcessEnvironmentCollection
{
    public const string Name = "process environment";
}
