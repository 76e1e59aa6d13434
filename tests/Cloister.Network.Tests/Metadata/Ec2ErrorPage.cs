namespace Cloister.Network.Tests.Metadata;

/// <summary>EC2's instance metadata error page as it is sent, written out whole so the tests hold the bytes.</summary>
internal static class Ec2ErrorPage
{
    /// <summary>The page for <paramref name="title"/>, e.g. <c>401 - Unauthorized</c>.</summary>
    public static string Of(string title) => $"""
        <?xml version="1.0" encoding="iso-8859-1"?>
        <!DOCTYPE html PUBLIC "-//W3C//DTD XHTML 1.0 Transitional//EN"
        	"http://www.w3.org/TR/xhtml1/DTD/xhtml1-transitional.dtd">
        <html xmlns="http://www.w3.org/1999/xhtml" xml:lang="en" lang="en">
         <head>
          <title>{title}</title>
         </head>
         <body>
          <h1>{title}</h1>
         </body>
        </html>

        """;
}
