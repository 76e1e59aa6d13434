using System.Collections.Immutable;
using Cloister.Model.Compute;

namespace Cloister.Policy.Tests.Callers;

/// <summary>What the caller directory's tests build their models and directories from.</summary>
internal static class CallerModels
{
    public const string Account = "123456789012";

    /// <summary>A fixed signing secret, so that a model's keys are the same from one build of the directory to the next.</summary>
    public static readonly byte[] Secret = [.. Enumerable.Range(1, 32).Select(i => (byte)i)];

    /// <summary>A <c>provided.al2023</c> function <paramref name="name"/> running as <paramref name="roleArn"/>.</summary>
    public static LambdaFunction Function(string name, string roleArn) =>
        new(name, name, "provided.al2023", "bootstrap", null, null, 128, 3, ImmutableDictionary<string, string>.Empty, null, null, roleArn);
}
