using System.Globalization;
using System.Numerics;
using System.Text.RegularExpressions;
using Quilt.Core.Json;

namespace Quilt.Packaging.Workflows.Internal;

/// <summary>
/// PyYAML's YAML 1.1 implicit typing of plain scalars (<c>yaml.safe_load</c>), rule for rule, so that a config
/// means here what it means to quilt3: <c>yes</c>/<c>on</c> are booleans, <c>0x1F</c> and <c>0o17</c> differ
/// (hex int, string), <c>1e3</c> is a string but <c>1.0e+3</c> a float, <c>1:30</c> is 90.
/// </summary>
internal static partial class YamlScalars
{
    public const string TagPrefix = "tag:yaml.org,2002:";

    /// <summary>Resolves an untagged plain scalar.</summary>
    public static QuiltJsonValue ResolvePlain(string value)
    {
        if (BoolPattern().IsMatch(value))
        {
            return QuiltJsonBool.From(value[0] is 'y' or 'Y' or 't' or 'T' || value is "on" or "On" or "ON");
        }

        if (FloatPattern().IsMatch(value))
        {
            return new QuiltJsonFloat(ConstructFloat(value));
        }

        if (IntPattern().IsMatch(value))
        {
            return new QuiltJsonInteger(ConstructInt(value));
        }

        if (NullPattern().IsMatch(value))
        {
            return QuiltJsonNull.Instance;
        }

        // Timestamps (date objects in PyYAML) have no JSON counterpart and stay strings.
        return new QuiltJsonString(value);
    }

    /// <summary>Constructs a scalar with an explicit standard tag; null when the tag is not a scalar tag we support.</summary>
    public static QuiltJsonValue? ResolveTagged(string tag, string value) => tag switch
    {
        TagPrefix + "str" or TagPrefix + "timestamp" => new QuiltJsonString(value),
        TagPrefix + "null" => QuiltJsonNull.Instance,
        TagPrefix + "bool" => value.ToLowerInvariant() switch
        {
            "yes" or "true" or "on" => QuiltJsonBool.True,
            "no" or "false" or "off" => QuiltJsonBool.False,
            _ => throw new FormatException($"'{value}' is not a boolean"),
        },
        TagPrefix + "int" => new QuiltJsonInteger(ConstructInt(value)),
        TagPrefix + "float" => new QuiltJsonFloat(ConstructFloat(value)),
        _ => null,
    };

    /// <summary>PyYAML <c>construct_yaml_int</c>: underscores ignored, <c>0b</c>, <c>0x</c>, leading-zero octal, base 60.</summary>
    public static BigInteger ConstructInt(string text)
    {
        var value = text.Replace("_", string.Empty, StringComparison.Ordinal);
        if (value.Length == 0)
        {
            throw new FormatException("empty integer");
        }

        var sign = value[0] == '-' ? BigInteger.MinusOne : BigInteger.One;
        if (value[0] is '+' or '-')
        {
            value = value[1..];
        }

        if (value == "0")
        {
            return BigInteger.Zero;
        }

        if (value.StartsWith("0b", StringComparison.Ordinal))
        {
            return sign * ParseBase(value[2..], 2);
        }

        if (value.StartsWith("0x", StringComparison.Ordinal))
        {
            return sign * ParseBase(value[2..], 16);
        }

        if (value.StartsWith('0'))
        {
            return sign * ParseBase(value, 8);
        }

        if (value.Contains(':', StringComparison.Ordinal))
        {
            var total = BigInteger.Zero;
            foreach (var part in value.Split(':'))
            {
                total = (total * 60) + ParseBase(part, 10);
            }

            return sign * total;
        }

        return sign * ParseBase(value, 10);
    }

    /// <summary>PyYAML <c>construct_yaml_float</c>: underscores ignored, <c>.inf</c>, <c>.nan</c>, base 60.</summary>
    public static double ConstructFloat(string text)
    {
        var value = text.Replace("_", string.Empty, StringComparison.Ordinal).ToLowerInvariant();
        if (value.Length == 0)
        {
            throw new FormatException("empty float");
        }

        var sign = value[0] == '-' ? -1.0 : 1.0;
        if (value[0] is '+' or '-')
        {
            value = value[1..];
        }

        if (value == ".inf")
        {
            return sign * double.PositiveInfinity;
        }

        if (value == ".nan")
        {
            return double.NaN;
        }

        if (value.Contains(':', StringComparison.Ordinal))
        {
            var total = 0.0;
            foreach (var part in value.Split(':'))
            {
                total = (total * 60) + ParseDouble(part);
            }

            return sign * total;
        }

        return sign * ParseDouble(value);
    }

    private static double ParseDouble(string text) =>
        double.TryParse(text, NumberStyles.AllowDecimalPoint | NumberStyles.AllowExponent, CultureInfo.InvariantCulture, out var d)
            ? d
            : throw new FormatException($"'{text}' is not a number");

    private static BigInteger ParseBase(string digits, int radix)
    {
        if (digits.Length == 0)
        {
            throw new FormatException("missing digits");
        }

        var result = BigInteger.Zero;
        foreach (var c in digits)
        {
            var digit = c switch
            {
                >= '0' and <= '9' => c - '0',
                >= 'a' and <= 'f' => c - 'a' + 10,
                >= 'A' and <= 'F' => c - 'A' + 10,
                _ => int.MaxValue,
            };
            if (digit >= radix)
            {
                throw new FormatException($"'{digits}' is not a base-{radix} number");
            }

            result = (result * radix) + digit;
        }

        return result;
    }

    [GeneratedRegex("^(?:yes|Yes|YES|no|No|NO|true|True|TRUE|false|False|FALSE|on|On|ON|off|Off|OFF)$", RegexOptions.CultureInvariant)]
    private static partial Regex BoolPattern();

    [GeneratedRegex("^(?:~|null|Null|NULL|)$", RegexOptions.CultureInvariant)]
    private static partial Regex NullPattern();

    [GeneratedRegex(@"^(?:[-+]?0b[0-1_]+|[-+]?0[0-7_]+|[-+]?(?:0|[1-9][0-9_]*)|[-+]?0x[0-9a-fA-F_]+|[-+]?[1-9][0-9_]*(?::[0-5]?[0-9])+)$", RegexOptions.CultureInvariant)]
    private static partial Regex IntPattern();

    [GeneratedRegex(@"^(?:[-+]?(?:[0-9][0-9_]*)\.[0-9_]*(?:[eE][-+][0-9]+)?|\.[0-9][0-9_]*(?:[eE][-+][0-9]+)?|[-+]?[0-9][0-9_]*(?::[0-5]?[0-9])+\.[0-9_]*|[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN))$", RegexOptions.CultureInvariant)]
    private static partial Regex FloatPattern();
}
