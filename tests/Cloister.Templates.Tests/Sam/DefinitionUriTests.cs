namespace Cloister.Templates.Tests.Sam;

public class DefinitionUriTests
{
    [Fact]
    public void DefinitionUri_LocalFile_IsReadWithItsOwnLocations()
    {
        var path = TestTemplates.DataPath("definition-uri", "template.yaml");
        var result = TemplateLoader.Load([new TemplateFile(path)], TestTemplates.Options());
        var problem = Assert.Single(result.Validation.Problems);
        Assert.Equal("Api", problem.Resource);
        Assert.EndsWith("x-amazon-apigateway-integration.type", problem.Property, StringComparison.Ordinal);
        Assert.Equal(TestTemplates.DataPath("definition-uri", "openapi.json"), problem.Location!.File);
        Assert.Equal(12, problem.Location.Line);
    }
}
