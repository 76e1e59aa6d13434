namespace Cloister.Policy.Tests;

/// <summary>Policies several test classes share.</summary>
public static class TestPolicies
{
    public const string SeedEndpoint = "vpce-0ac4147ba9386c9z7";

    /// <summary>The seeds' resource policy: Allow execute-api:Invoke on execute-api:/*, Deny unless through one endpoint.</summary>
    public const string Seed = """
        {
          "Version": "2012-10-17",
          "Statement": [
            {"Effect": "Allow", "Principal": "*", "Action": "execute-api:Invoke", "Resource": "execute-api:/*"},
            {"Effect": "Deny", "Principal": "*", "Action": "execute-api:Invoke", "Resource": "execute-api:/*",
             "Condition": {"StringNotEquals": {"aws:SourceVpce": "vpce-0ac4147ba9386c9z7"}}}
          ]
        }
        """;
}
