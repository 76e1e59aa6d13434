namespace Cloister.Lambda.RuntimeClient.Http;

/// <summary>What parsing a buffer found.</summary>
internal enum ParseStatus
{
    /// <summary>A complete head was parsed.</summary>
    Complete,

    /// <summary>More bytes are needed.</summary>
    Incomplete,

    /// <summary>The bytes are not an HTTP/1.1 response head.</summary>
    Invalid,
}
