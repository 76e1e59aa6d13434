namespace Cloister.Templates.Mapping;

/// <summary>
/// Log groups are not modelled (the logs service reads them from the stack), but their retention is checked here as
/// CloudWatch Logs checks it: PutRetentionPolicy takes only these day counts.
/// </summary>
internal sealed partial class ModelBuilder
{
    private static readonly int[] RetentionDays = [1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653];

    private void CheckLogGroups()
    {
        foreach (var r in OfType("AWS::Logs::LogGroup"))
        {
            if (r.Node("RetentionInDays") is not null && r.Int("RetentionInDays", 1) is var days && !RetentionDays.Contains(days))
            {
                r.Problem("RetentionInDays", $"{days} is not a retention CloudWatch Logs offers; it is one of {string.Join(", ", RetentionDays)} days (or leave it out to keep logs forever).");
            }
        }
    }
}
