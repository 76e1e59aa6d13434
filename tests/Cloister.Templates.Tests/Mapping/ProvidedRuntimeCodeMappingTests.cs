namespace Cloister.Templates.Tests.Mapping;

/// <summary>
/// A custom runtime's code folder without a <c>bootstrap</c>: Lambda accepts it and fails every invoke
/// (Runtime.InvalidEntrypoint), so it loads with a warning at the code that says so. Its Handler is required as for
/// any .zip package ("Handler is required if the deployment package is a .zip file archive", CreateFunction).
/// </summary>
public sealed class ProvidedRuntimeCodeMappingTests : IDisposable
{
    private readonly DirectoryInfo _folder = Directory.CreateTempSubdirectory("cloister-provided-");

    public ProvidedRuntimeCodeMappingTests() => Directory.CreateDirectory(Path.Combine(_folder.FullName, "fn"));

    public void Dispose() => _folder.Delete(recursive: true);

    private TemplateLoadResult Load(string handler = "Handler: x, ") =>
        TemplateLoader.Load(
            [new TemplateFile(Path.Combine(_folder.FullName, "template.yaml"))
            {
                Text = $$"""
                    Resources:
                      Fn: { Type: AWS::Lambda::Function, Properties: { Code: fn, Runtime: provided.al2023, {{handler}}Role: arn:aws:iam::123456789012:role/r } }
                    """,
            }],
            TestTemplates.Options());

    [Fact]
    public void Function_ProvidedRuntimeFolderWithoutBootstrap_LoadsWithWarningAtCode()
    {
        File.WriteAllText(Path.Combine(_folder.FullName, "fn", "README"), "no bootstrap here");

        var result = Load();

        Assert.True(result.IsValid, result.Validation.ToString());
        var warning = Assert.Single(result.Warnings, w => w.Property == "Properties.Code");
        Assert.Equal("Fn", warning.Resource);
        Assert.Contains("has no bootstrap file: AWS accepts it, but every invoke of a provided.al2023 function fails (Runtime.InvalidEntrypoint", warning.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Function_ProvidedRuntimeFolderWithBootstrap_LoadsWithoutWarning()
    {
        File.WriteAllText(Path.Combine(_folder.FullName, "fn", "bootstrap"), "#!/bin/sh\n");

        var result = Load();

        Assert.True(result.IsValid, result.Validation.ToString());
        Assert.DoesNotContain(result.Warnings, w => w.Property == "Properties.Code");
    }

    [Fact]
    public void Function_ProvidedRuntimeWithoutHandler_HandlerRequiredAsLambdaRequiresForZip()
    {
        File.WriteAllText(Path.Combine(_folder.FullName, "fn", "bootstrap"), "#!/bin/sh\n");

        var problem = Assert.Single(Load(handler: string.Empty).Validation.Problems);

        Assert.Equal(
            ("Fn", "Properties.Handler", "is required for a .zip package, a custom runtime's too (the runtime reads it as _HANDLER; 'bootstrap' is usual for 'provided.al2023')."),
            (problem.Resource, problem.Property, problem.Message));
    }
}
