namespace Cloister.Scenarios.Tests;

/// <summary>One hop of <c>cloister path</c>'s text: <c>  3. AWS::EC2::SecurityGroup sg-...: inbound rule tcp 443 ...</c>.</summary>
internal sealed record PathHop(int Sequence, string ComponentType, string ComponentId, string Detail)
{
    /// <summary>Type and id, as the report names the component.</summary>
    public string Component => $"{ComponentType} {ComponentId}";
}
