using Cloister.Model.Iam;

namespace Cloister.Model.Tests.Iam;

public sealed class IamRoleTests
{
    [Fact]
    public void New_WithoutTrustPolicyOrSessionDuration_HasNoTrustPolicyAndOneHour()
    {
        var role = new IamRole("Role", "app", "arn:aws:iam::123456789012:role/app", "AROAEXAMPLE", []);

        Assert.Null(role.AssumeRolePolicy);
        Assert.Equal(3600, role.MaxSessionDuration);
        Assert.Equal(IamRole.DefaultMaxSessionDuration, role.MaxSessionDuration);
    }

    [Fact]
    public void With_TrustPolicyAndSessionDuration_KeepsThemAndEqualityCountsThem()
    {
        var role = new IamRole("Role", "app", "arn:aws:iam::123456789012:role/app", "AROAEXAMPLE", []);
        var trusted = role with { AssumeRolePolicy = """{"Statement":[]}""", MaxSessionDuration = 43200 };

        Assert.Equal(("""{"Statement":[]}""", 43200), (trusted.AssumeRolePolicy, trusted.MaxSessionDuration));
        Assert.NotEqual(role, trusted);
    }
}
