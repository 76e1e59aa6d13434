namespace Cloister.Gateway.Templates;

/// <summary>A piece of a template: literal text, or a reference such as <c>context.requestId</c>.</summary>
/// <param name="Text">The literal text, or the reference without <c>$</c> and braces.</param>
/// <param name="IsReference">Whether <paramref name="Text"/> names a variable.</param>
/// <param name="Source">The reference as written, kept so an unknown one renders unchanged, as Velocity does.</param>
internal readonly record struct TemplateSegment(string Text, bool IsReference, string Source);
