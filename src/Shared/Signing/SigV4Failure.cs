namespace Cloister.Shared.Signing;

/// <summary>
/// Why a Signature Version 4 check failed, in the words AWS services answer with; each service maps it to its own
/// error: <paramref name="Incomplete"/> is <c>IncompleteSignature</c> (the request lacks what SigV4 needs), otherwise
/// <c>InvalidSignature</c> (expired, not yet current, or not the signature the secret makes).
/// </summary>
internal sealed record SigV4Failure(bool Incomplete, string Message);
