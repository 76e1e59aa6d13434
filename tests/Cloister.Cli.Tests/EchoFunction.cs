namespace Cloister.Cli.Tests;

/// <summary>A template resource for the stacks these tests bring up: a python3.12 function that returns its event.</summary>
internal static class EchoFunction
{
    /// <summary>The function <paramref name="name"/> as an entry of a template's <c>Resources</c>.</summary>
    public static string Resource(string logicalId, string name) => $"""
          {logicalId}:
            Type: AWS::Lambda::Function
            Properties:
              FunctionName: {name}
              Runtime: python3.12
              Handler: index.handler
              Role: arn:aws:iam::000000000000:role/{name}
              Code:
                ZipFile: |
                  def handler(event, context):
                      return event

        """;
}
