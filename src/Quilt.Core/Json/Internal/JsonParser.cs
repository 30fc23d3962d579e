using System.Buffers;
using System.Globalization;
using System.Numerics;
using System.Text;

namespace Quilt.Core.Json.Internal;

/// <summary>
/// Strict recursive-descent JSON parser with Python <c>json.loads</c> semantics: integer and float tokens stay
/// apart (integers exact), <c>NaN</c>/<c>Infinity</c>/<c>-Infinity</c> are accepted, duplicate names keep the last
/// value, escapes may produce lone surrogates, raw control characters in strings are refused.
/// </summary>
internal ref struct JsonParser
{
    /// <summary>Maximum nesting of arrays and objects; Python's own recursion limit is about the same.</summary>
    public const int MaxDepth = 1000;

    private static readonly SearchValues<char> StringSpecials = SearchValues.Create(
        "\"\\\u0000\u0001\u0002\u0003\u0004\u0005\u0006\u0007\u0008\u0009\u000a\u000b\u000c\u000d\u000e\u000f" +
        "\u0010\u0011\u0012\u0013\u0014\u0015\u0016\u0017\u0018\u0019\u001a\u001b\u001c\u001d\u001e\u001f");

    /// <summary>Names and values every manifest line repeats; sharing one instance saves memory on large manifests.</summary>
    private static readonly string[] CommonStrings =
    [
        "logical_key", "physical_keys", "size", "hash", "meta", "type", "value", "user_meta",
        "sha2-256-chunked", "SHA256", "CRC64NVME", "version", "message", "v0", "workflow",
    ];

    private readonly ReadOnlySpan<char> _text;
    private int _pos;

    private JsonParser(ReadOnlySpan<char> text)
    {
        _text = text;
        _pos = 0;
    }

    /// <summary>Parses one complete JSON text; throws <see cref="JsonSyntaxException"/>.</summary>
    public static QuiltJsonValue Parse(ReadOnlySpan<char> text)
    {
        var parser = new JsonParser(text);
        parser.SkipWhitespace();
        var value = parser.ParseValue(0);
        parser.SkipWhitespace();
        if (parser._pos != text.Length)
        {
            throw new JsonSyntaxException("Extra data", parser._pos);
        }

        return value;
    }

    private static bool IsDigit(char c) => c is >= '0' and <= '9';

    private void SkipWhitespace()
    {
        while (_pos < _text.Length && _text[_pos] is ' ' or '\t' or '\n' or '\r')
        {
            _pos++;
        }
    }

    private QuiltJsonValue ParseValue(int depth)
    {
        if (_pos >= _text.Length)
        {
            throw new JsonSyntaxException("Expecting value", _pos);
        }

        switch (_text[_pos])
        {
            case '{':
                return ParseObject(depth + 1);
            case '[':
                return ParseArray(depth + 1);
            case '"':
                return new QuiltJsonString(ParseString());
            case 'n' when TryLiteral("null"):
                return QuiltJsonNull.Instance;
            case 't' when TryLiteral("true"):
                return QuiltJsonBool.True;
            case 'f' when TryLiteral("false"):
                return QuiltJsonBool.False;
            case 'N' when TryLiteral("NaN"):
                return new QuiltJsonFloat(double.NaN);
            case 'I' when TryLiteral("Infinity"):
                return new QuiltJsonFloat(double.PositiveInfinity);
            case '-' when TryLiteral("-Infinity"):
                return new QuiltJsonFloat(double.NegativeInfinity);
            case '-':
            case >= '0' and <= '9':
                return ParseNumber();
            default:
                throw new JsonSyntaxException("Expecting value", _pos);
        }
    }

    private bool TryLiteral(string literal)
    {
        if (_text[_pos..].StartsWith(literal, StringComparison.Ordinal))
        {
            _pos += literal.Length;
            return true;
        }

        return false;
    }

    private QuiltJsonObject ParseObject(int depth)
    {
        CheckDepth(depth);
        _pos++; // '{'
        SkipWhitespace();
        if (_pos < _text.Length && _text[_pos] == '}')
        {
            _pos++;
            return QuiltJsonObject.Empty;
        }

        var members = new List<KeyValuePair<string, QuiltJsonValue>>();
        while (true)
        {
            if (_pos >= _text.Length || _text[_pos] != '"')
            {
                throw new JsonSyntaxException("Expecting property name enclosed in double quotes", _pos);
            }

            var name = ParseString();
            SkipWhitespace();
            if (_pos >= _text.Length || _text[_pos] != ':')
            {
                throw new JsonSyntaxException("Expecting ':' delimiter", _pos);
            }

            _pos++;
            SkipWhitespace();
            members.Add(new(name, ParseValue(depth)));
            SkipWhitespace();
            if (_pos < _text.Length && _text[_pos] == ',')
            {
                _pos++;
                SkipWhitespace();
                continue;
            }

            if (_pos < _text.Length && _text[_pos] == '}')
            {
                _pos++;
                return QuiltJsonObject.FromOwnedList(members);
            }

            throw new JsonSyntaxException("Expecting ',' delimiter", _pos);
        }
    }

    private QuiltJsonArray ParseArray(int depth)
    {
        CheckDepth(depth);
        _pos++; // '['
        SkipWhitespace();
        if (_pos < _text.Length && _text[_pos] == ']')
        {
            _pos++;
            return QuiltJsonArray.Empty;
        }

        var items = new List<QuiltJsonValue>();
        while (true)
        {
            items.Add(ParseValue(depth));
            SkipWhitespace();
            if (_pos < _text.Length && _text[_pos] == ',')
            {
                _pos++;
                SkipWhitespace();
                continue;
            }

            if (_pos < _text.Length && _text[_pos] == ']')
            {
                _pos++;
                return new QuiltJsonArray(items);
            }

            throw new JsonSyntaxException("Expecting ',' delimiter", _pos);
        }
    }

    private readonly void CheckDepth(int depth)
    {
        if (depth > MaxDepth)
        {
            throw new JsonSyntaxException($"Arrays and objects nested deeper than {MaxDepth} levels", _pos);
        }
    }

    private string ParseString()
    {
        var start = _pos;
        _pos++; // opening quote
        var rest = _text[_pos..];
        var special = rest.IndexOfAny(StringSpecials);
        if (special >= 0 && rest[special] == '"')
        {
            _pos += special + 1;
            return Common(rest[..special]) ?? rest[..special].ToString();
        }

        StringBuilder? builder = null;
        while (true)
        {
            rest = _text[_pos..];
            special = rest.IndexOfAny(StringSpecials);
            if (special < 0)
            {
                throw new JsonSyntaxException("Unterminated string starting at", start);
            }

            builder ??= new StringBuilder(rest.Length);
            builder.Append(rest[..special]);
            _pos += special;
            var c = _text[_pos];
            if (c == '"')
            {
                _pos++;
                return builder.ToString();
            }

            if (c != '\\')
            {
                throw new JsonSyntaxException("Invalid control character at", _pos);
            }

            if (_pos + 1 >= _text.Length)
            {
                throw new JsonSyntaxException("Unterminated string starting at", start);
            }

            var escape = _text[_pos + 1];
            switch (escape)
            {
                case '"': builder.Append('"'); break;
                case '\\': builder.Append('\\'); break;
                case '/': builder.Append('/'); break;
                case 'b': builder.Append('\b'); break;
                case 'f': builder.Append('\f'); break;
                case 'n': builder.Append('\n'); break;
                case 'r': builder.Append('\r'); break;
                case 't': builder.Append('\t'); break;
                case 'u':
                    builder.Append(ParseHex4(_pos + 2));
                    _pos += 4;
                    break;
                default:
                    throw new JsonSyntaxException("Invalid \\escape", _pos);
            }

            _pos += 2;
        }
    }

    private static string? Common(ReadOnlySpan<char> text)
    {
        if (text.Length is < 2 or > 16)
        {
            return null;
        }

        foreach (var candidate in CommonStrings)
        {
            if (text.SequenceEqual(candidate))
            {
                return candidate;
            }
        }

        return null;
    }

    private readonly char ParseHex4(int at)
    {
        if (at + 4 > _text.Length ||
            !ushort.TryParse(_text.Slice(at, 4), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out var code))
        {
            throw new JsonSyntaxException("Invalid \\uXXXX escape", at - 2);
        }

        return (char)code;
    }

    private QuiltJsonValue ParseNumber()
    {
        var start = _pos;
        if (_text[_pos] == '-')
        {
            _pos++;
        }

        if (_pos < _text.Length && _text[_pos] == '0')
        {
            _pos++;
        }
        else if (_pos < _text.Length && _text[_pos] is >= '1' and <= '9')
        {
            SkipDigits();
        }
        else
        {
            throw new JsonSyntaxException("Expecting value", start);
        }

        var isFloat = false;
        if (_pos + 1 < _text.Length && _text[_pos] == '.' && IsDigit(_text[_pos + 1]))
        {
            _pos++;
            SkipDigits();
            isFloat = true;
        }

        if (_pos < _text.Length && _text[_pos] is 'e' or 'E')
        {
            var digitAt = _pos + 1;
            if (digitAt < _text.Length && _text[digitAt] is '+' or '-')
            {
                digitAt++;
            }

            if (digitAt < _text.Length && IsDigit(_text[digitAt]))
            {
                _pos = digitAt;
                SkipDigits();
                isFloat = true;
            }
        }

        var token = _text[start.._pos];
        if (isFloat)
        {
            // .NET Core 3.0+ parses correctly rounded and returns ±Infinity on overflow, like Python's float().
            return new QuiltJsonFloat(double.Parse(token, NumberStyles.Float, CultureInfo.InvariantCulture));
        }

        return token.Length <= 18
            ? new QuiltJsonInteger(long.Parse(token, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture))
            : new QuiltJsonInteger(BigInteger.Parse(token, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture));
    }

    private void SkipDigits()
    {
        while (_pos < _text.Length && IsDigit(_text[_pos]))
        {
            _pos++;
        }
    }
}
