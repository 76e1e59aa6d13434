namespace Cloister.Gateway.Catalog;

/// <summary>Stands in for a policy that failed to compile: a policy whose one statement matches no request, so nothing is allowed through it.</summary>
internal static class DenyAllPolicy
{
    public static Cloister.Policy.Policy Instance { get; } = Cloister.Policy.Policy.Parse(
        """{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":"*","Action":"cloister:Nothing","Resource":"arn:aws:cloister:::nothing"}]}""").Policy!;
}
