namespace Cloister.Functions.Ssm;

/// <summary>
/// LabelParameterVersion and UnlabelParameterVersion: labels name versions, so <c>NAME:LABEL</c> reads the version a
/// label is on (docs/ssm.md "Labels").
/// </summary>
internal sealed partial class SsmHandler
{
    private byte[] LabelParameterVersion(SsmCall call)
    {
        var name = call.ParameterName();
        var labels = Labels(call);
        var version = call.Long("ParameterVersion");
        Authorize(call, "LabelParameterVersion", ParameterArn(name));
        var (labelled, invalid) = store.Label(name, version, labels);
        return Json(writer =>
        {
            WriteStrings(writer, "InvalidLabels", invalid);
            writer.WriteNumber("ParameterVersion", labelled);
        });
    }

    private byte[] UnlabelParameterVersion(SsmCall call)
    {
        var name = call.ParameterName();
        var labels = Labels(call);
        var version = call.Long("ParameterVersion") ?? throw SsmException.Validation("1 validation error detected: Value null at 'parameterVersion' failed to satisfy constraint: Member must not be null");
        Authorize(call, "UnlabelParameterVersion", ParameterArn(name));
        var (removed, invalid) = store.Unlabel(name, version, labels);
        return Json(writer =>
        {
            WriteStrings(writer, "RemovedLabels", removed);
            WriteStrings(writer, "InvalidLabels", invalid);
        });
    }

    /// <summary>
    /// The call's <c>Labels</c>: 1 to 10, each 1 to 100 characters (the API's constraints, refused as a validation
    /// error; the other label rules only put a label in <c>InvalidLabels</c>).
    /// </summary>
    private static List<string> Labels(SsmCall call)
    {
        var labels = call.Strings("Labels", ParameterLabels.MaxPerVersion) ?? throw SsmException.Validation("1 validation error detected: Value null at 'labels' failed to satisfy constraint: Member must not be null");
        return labels.Find(l => l.Length is 0 or > ParameterLabels.MaxLength) is { } bad
            ? throw SsmException.Validation($"1 validation error detected: Value '[{bad}]' at 'labels' failed to satisfy constraint: Member must satisfy constraint: [Member must have length less than or equal to 100, Member must have length greater than or equal to 1]")
            : labels;
    }
}
