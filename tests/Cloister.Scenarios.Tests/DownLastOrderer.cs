using Xunit.Abstractions;
using Xunit.Sdk;

namespace Cloister.Scenarios.Tests;

/// <summary>
/// Runs a class's tests by name, those named <c>Down_...</c> last: they take the class fixture's stack down, which the
/// others use.
/// </summary>
public sealed class DownLastOrderer : ITestCaseOrderer
{
    /// <summary>The name to give <see cref="TestCaseOrdererAttribute"/>.</summary>
    public const string TypeName = "Cloister.Scenarios.Tests.DownLastOrderer";

    /// <summary>The assembly to give <see cref="TestCaseOrdererAttribute"/>.</summary>
    public const string AssemblyName = "Cloister.Scenarios.Tests";

    public IEnumerable<TTestCase> OrderTestCases<TTestCase>(IEnumerable<TTestCase> testCases)
        where TTestCase : ITestCase =>
        testCases
            .OrderBy(t => t.TestMethod.Method.Name.StartsWith("Down_", StringComparison.Ordinal))
            .ThenBy(t => t.TestMethod.Method.Name, StringComparer.Ordinal)
            .ThenBy(t => t.DisplayName, StringComparer.Ordinal);
}
