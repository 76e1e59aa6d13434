using Cloister.Policy.Tests.Corpus;

namespace Cloister.Policy.Tests;

public sealed class PolicyCorpusTests
{
    public static TheoryData<string> CaseNames => [.. PolicyCorpus.All.Keys];

    [Fact]
    public void Corpus_Size_HasAtLeast150Cases()
    {
        Assert.True(PolicyCorpus.All.Count >= 150, $"the corpus has {PolicyCorpus.All.Count} cases");
    }

    [Theory]
    [MemberData(nameof(CaseNames))]
    public void Evaluate_CorpusCase_DecidesAsAwsDoes(string name)
    {
        var item = PolicyCorpus.All[name];
        var parsed = Policy.Parse(item.PolicyJson, PolicyParseOptions.ForApi(CorpusCase.Scope));

        if (item.Expect == "Malformed")
        {
            Assert.False(parsed.IsValid, "the policy should be malformed");
            var problems = string.Join(Environment.NewLine, parsed.Problems);
            foreach (var expected in item.Problems)
            {
                Assert.Contains(expected, problems, StringComparison.Ordinal);
            }

            return;
        }

        Assert.True(parsed.IsValid, parsed.ErrorMessage);
        var context = item.BuildContext();
        var decision = parsed.Policy.Evaluate(context);
        Assert.Equal(Enum.Parse<Decision>(item.Expect), decision.Decision);

        var explanation = parsed.Policy.Explain(context);
        Assert.Equal(decision.Decision, explanation.Decision);
        if (decision.Decision != Decision.ImplicitDeny)
        {
            Assert.Contains(explanation.DecidingStatements, s => s.Index == decision.StatementIndex);
        }

        if (item.Deciding is not null)
        {
            Assert.Equal(item.Deciding, explanation.DecidingStatements.Select(s => s.Sid ?? s.Name));
        }
    }
}
