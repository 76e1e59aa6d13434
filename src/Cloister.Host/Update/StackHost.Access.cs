using Cloister.Host.Control;
using Cloister.Model;

namespace Cloister.Host;

/// <summary>
/// <c>cloister deploy</c>'s access step: the stack's roles, instance profiles and VPC endpoint policies, applied to the
/// running services.
/// </summary>
public sealed partial class StackHost
{
    /// <summary>
    /// Swaps what every service judges callers by for <paramref name="model"/>'s: the roles (their policies, permissions
    /// boundaries, trust policies, and the roles of instance profiles), keeping the keys already handed to functions and
    /// instances valid (<see cref="Cloister.Policy.Callers.CallerDirectory.Apply"/>), and the policies of the regional
    /// services' VPC endpoints. The next request is judged by the new ones. Applied first, as CloudFormation creates a
    /// role before what uses it. A policy that does not compile is reported as at up.
    /// </summary>
    private void ApplyAccess(CloudModel model, Action<DeployEvent> report)
    {
        var before = _callers!.Warnings;
        foreach (var warning in _callers.Apply(model).Except(before, StringComparer.Ordinal))
        {
            Warn("iam", warning);
        }

        foreach (var table in _endpointPolicies)
        {
            table.Apply(model, warning => Warn(table.Phase, warning));
        }

        void Warn(string phase, string warning)
        {
            Log.Warning(_logger, phase, warning);
            report(new DeployEvent(phase, "warning", warning, 0));
        }
    }
}
