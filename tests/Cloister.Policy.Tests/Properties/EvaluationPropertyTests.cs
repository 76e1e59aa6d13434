namespace Cloister.Policy.Tests.Properties;

public sealed class EvaluationPropertyTests
{
    private const int Trials = 1500;

    private static Policy Compile(string json)
    {
        var result = Policy.Parse(json, PolicyParseOptions.ForApi(RandomPolicies.Scope));
        Assert.True(result.IsValid, result.ErrorMessage);
        return result.Policy;
    }

    [Fact]
    public void Evaluate_AddingAMatchingDeny_NeverAllows()
    {
        var random = new RandomPolicies(seed: 20261122);
        var checkedDenies = 0;
        for (var trial = 0; trial < Trials; trial++)
        {
            var statements = random.Statements(1 + (trial % 5));
            var context = random.Context();
            var deny = random.Statement("Added", "Deny");
            if (Compile(RandomPolicies.Document([deny])).Evaluate(context).Decision != Decision.ExplicitDeny)
            {
                continue;
            }

            checkedDenies++;
            var decision = Compile(RandomPolicies.Document([.. statements, deny])).Evaluate(context);
            Assert.Equal(Decision.ExplicitDeny, decision.Decision);
        }

        Assert.True(checkedDenies > Trials / 20, $"only {checkedDenies} generated Deny statements applied; the generator is too sparse");
    }

    [Fact]
    public void Evaluate_StatementOrder_NeverChangesTheDecision()
    {
        var random = new RandomPolicies(seed: 4);
        var seen = new HashSet<Decision>();
        for (var trial = 0; trial < Trials; trial++)
        {
            var statements = random.Statements(2 + (trial % 5));
            var context = random.Context();
            var original = Compile(RandomPolicies.Document(statements)).Explain(context);
            var shuffled = Compile(RandomPolicies.Document(random.Shuffle(statements))).Explain(context);

            Assert.Equal(original.Decision, shuffled.Decision);
            Assert.Equal(
                original.DecidingStatements.Select(s => s.Sid).Order(StringComparer.Ordinal),
                shuffled.DecidingStatements.Select(s => s.Sid).Order(StringComparer.Ordinal));
            seen.Add(original.Decision);
        }

        Assert.Equal(3, seen.Count);
    }

    [Fact]
    public void Evaluate_RemovingEveryDeny_NeverTurnsAnAllowIntoADeny()
    {
        var random = new RandomPolicies(seed: 99);
        for (var trial = 0; trial < Trials; trial++)
        {
            var statements = random.Statements(1 + (trial % 6));
            var context = random.Context();
            var full = Compile(RandomPolicies.Document(statements)).Evaluate(context);
            var allows = statements.Where(s => (string?)s["Effect"] == "Allow").ToList();
            if (full.Decision != Decision.Allow || allows.Count == 0)
            {
                continue;
            }

            Assert.Equal(Decision.Allow, Compile(RandomPolicies.Document(allows)).Evaluate(context).Decision);
        }
    }

    [Fact]
    public void Evaluate_SameRequestTwice_GivesTheSameDecision()
    {
        var random = new RandomPolicies(seed: 7);
        for (var trial = 0; trial < 300; trial++)
        {
            var policy = Compile(RandomPolicies.Document(random.Statements(4)));
            var context = random.Context();
            Assert.Equal(policy.Evaluate(context), policy.Evaluate(context));
        }
    }
}
