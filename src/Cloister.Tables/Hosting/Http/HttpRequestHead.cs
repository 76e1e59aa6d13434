using System.Buffers;
using System.Text;
using Microsoft.AspNetCore.Http;

namespace Cloister.Tables.Hosting.Http;

/// <summary>
/// One request's line and headers, parsed by <see cref="HttpHeadParser"/> from a copy of their bytes
/// (the connection's pipe buffers are released before the request is answered). Names and values
/// stay bytes until someone asks for a string. One instance per connection, reused request after request.
/// </summary>
internal sealed class HttpRequestHead : IDisposable
{
    /// <summary>Request line and headers together (Kestrel's default limit).</summary>
    public const int MaxBytes = 32 * 1024;

    /// <summary>Headers per request (Kestrel's default limit).</summary>
    public const int MaxHeaders = 100;

    private byte[] _bytes = ArrayPool<byte>.Shared.Rent(1024);
    private Range[] _names = new Range[16];
    private Range[] _values = new Range[16];
    private string? _method;
    private string? _target;

    /// <summary>Number of headers.</summary>
    public int Count { get; private set; }

    public Range MethodRange { get; set; }

    public Range TargetRange { get; set; }

    /// <summary>HTTP/1.1 (otherwise HTTP/1.0).</summary>
    public bool Http11 { get; set; }

    /// <summary>The connection stays open after the response.</summary>
    public bool KeepAlive { get; set; }

    /// <summary>The declared body length, or -1 when there is none (or the body is chunked).</summary>
    public long ContentLength { get; set; }

    public bool Chunked { get; set; }

    public bool ExpectContinue { get; set; }

    public ReadOnlySpan<byte> Method => Bytes[MethodRange];

    public ReadOnlySpan<byte> Target => Bytes[TargetRange];

    public bool IsPost => Method.SequenceEqual("POST"u8);

    public bool IsHead => Method.SequenceEqual("HEAD"u8);

    public string MethodText => _method ??= IsPost ? "POST" : Encoding.ASCII.GetString(Method);

    public string TargetText => _target ??= Target.SequenceEqual("/"u8) ? "/" : Encoding.UTF8.GetString(Target);

    private ReadOnlySpan<byte> Bytes => _bytes;

    /// <summary>Copies <paramref name="head"/> in and forgets the previous request.</summary>
    public Span<byte> Reset(ReadOnlySequence<byte> head)
    {
        var length = checked((int)head.Length);
        if (_bytes.Length < length)
        {
            ArrayPool<byte>.Shared.Return(_bytes);
            _bytes = ArrayPool<byte>.Shared.Rent(length);
        }

        head.CopyTo(_bytes);
        Count = 0;
        _method = null;
        _target = null;
        ContentLength = -1;
        Chunked = false;
        ExpectContinue = false;
        KeepAlive = false;
        Http11 = false;
        return _bytes.AsSpan(0, length);
    }

    public void Add(Range name, Range value)
    {
        if (Count == _names.Length)
        {
            Array.Resize(ref _names, Count * 2);
            Array.Resize(ref _values, Count * 2);
        }

        _names[Count] = name;
        _values[Count] = value;
        Count++;
    }

    public ReadOnlySpan<byte> NameAt(int index) => Bytes[_names[index]];

    public ReadOnlySpan<byte> ValueAt(int index) => Bytes[_values[index]];

    /// <summary>The first value of header <paramref name="name"/> (lower case), or empty.</summary>
    public ReadOnlySpan<byte> Value(ReadOnlySpan<byte> name, out int count)
    {
        count = 0;
        var first = -1;
        for (var i = 0; i < Count; i++)
        {
            if (Ascii.EqualsIgnoreCase(NameAt(i), name))
            {
                count++;
                first = first < 0 ? i : first;
            }
        }

        return first < 0 ? default : ValueAt(first);
    }

    /// <summary>The first value of header <paramref name="name"/> as text, or "" when absent.</summary>
    public string Text(ReadOnlySpan<byte> name)
    {
        var value = Value(name, out var count);
        return count == 0 ? "" : Encoding.UTF8.GetString(value);
    }

    /// <summary>All headers as ASP.NET Core's dictionary (repeated names become several values), for SigV4.</summary>
    public IHeaderDictionary ToDictionary()
    {
        var headers = new HeaderDictionary(Count);
        for (var i = 0; i < Count; i++)
        {
            var name = Encoding.ASCII.GetString(NameAt(i));
            var value = Encoding.UTF8.GetString(ValueAt(i));
            headers[name] = headers.TryGetValue(name, out var existing) ? Microsoft.Extensions.Primitives.StringValues.Concat(existing, value) : value;
        }

        return headers;
    }

    public void Dispose()
    {
        var bytes = _bytes;
        _bytes = [];
        if (bytes.Length > 0)
        {
            ArrayPool<byte>.Shared.Return(bytes);
        }
    }
}
