namespace Cloister.Scenarios.Tests;

/// <summary>Scenario classes run one after another: each brings a whole stack up on a 2-core machine.</summary>
[CollectionDefinition("scenarios", DisableParallelization = true)]
public sealed class ScenarioCollection;
