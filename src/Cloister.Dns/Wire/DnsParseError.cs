namespace Cloister.Dns.Wire;

/// <summary>Why a DNS message could not be read.</summary>
public enum DnsParseError
{
    /// <summary>No error.</summary>
    None = 0,
    /// <summary>The message ends before a field it announces.</summary>
    Truncated,
    /// <summary>A label is longer than 63 bytes.</summary>
    LabelTooLong,
    /// <summary>A name is longer than 255 bytes on the wire.</summary>
    NameTooLong,
    /// <summary>A compression pointer points forward or at itself, or too many pointers were followed.</summary>
    BadPointer,
    /// <summary>A label type other than a plain label or a pointer.</summary>
    BadLabelType,
    /// <summary>The section counts cannot fit in the message's length.</summary>
    CountsExceedLength,
    /// <summary>Record data does not match its type's layout.</summary>
    BadRecordData,
    /// <summary>More than one OPT record, or one outside the additional section.</summary>
    BadOpt,
    /// <summary>A presentation-format value cannot be read for its type.</summary>
    BadPresentation,
}
