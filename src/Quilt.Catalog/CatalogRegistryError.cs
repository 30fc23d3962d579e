using System.Globalization;
using System.Text;
using Quilt.Catalog.Internal;
using Quilt.Core.Errors;
using Quilt.Core.Json;

namespace Quilt.Catalog;

/// <summary>
/// A refusal the registry returned as a typed union arm (<c>InvalidInput</c> or <c>OperationError</c>) rather than as
/// a transport or GraphQL error. Kept as a value so callers can react to a specific registry error name (for example
/// hash limits) before turning it into a <see cref="QuiltException"/>.
/// </summary>
/// <param name="TypeName"><c>InvalidInput</c> or <c>OperationError</c>.</param>
/// <param name="Details">The reasons; an <c>OperationError</c> has exactly one.</param>
public sealed record CatalogRegistryError(string TypeName, IReadOnlyList<CatalogErrorDetail> Details)
{
    /// <summary>The <c>InvalidInput</c> arm: the request's input was refused.</summary>
    public const string InvalidInputType = "InvalidInput";

    /// <summary>The <c>OperationError</c> arm: the operation failed.</summary>
    public const string OperationErrorType = "OperationError";

    /// <summary>Whether any reason carries the registry error name <paramref name="name"/>.</summary>
    public bool HasName(string name) => Details.Any(d => string.Equals(d.Name, name, StringComparison.Ordinal));

    /// <summary>
    /// The reasons in one line: message, registry error name, the input path and, when the path names an entry
    /// (<c>src.entries.N…</c>) and <paramref name="entryName"/> knows it, that entry's logical key.
    /// </summary>
    public string Describe(Func<int, string?>? entryName = null)
    {
        var text = new StringBuilder();
        foreach (var detail in Details)
        {
            if (text.Length > 0)
            {
                text.Append("; ");
            }

            text.Append(detail.Message.TrimEnd('.'));
            if (detail.Name.Length > 0 && !detail.Message.Contains(detail.Name, StringComparison.Ordinal))
            {
                text.Append(" (").Append(detail.Name).Append(')');
            }

            var context = DescribeContext(detail.Context);
            if (context is not null)
            {
                text.Append(": ").Append(context);
            }

            if (!string.IsNullOrEmpty(detail.Path))
            {
                text.Append(" at ").Append(detail.Path);
                if (entryName is not null && EntryIndex(detail.Path) is { } index && entryName(index) is { } logicalKey)
                {
                    text.Append(CultureInfo.InvariantCulture, $" (entry '{logicalKey}')");
                }
            }
        }

        return text.Length == 0 ? $"the registry answered {TypeName} without a reason" : text.ToString();
    }

    /// <summary>
    /// The exception a caller throws for this refusal: <c>"GraphQL {action} failed: {reasons}"</c> with a kind chosen
    /// from the registry error name (access, not found, throttling, limits and input problems).
    /// </summary>
    /// <param name="action">What was attempted, e.g. <c>package creation</c>.</param>
    /// <param name="entryName">Maps an entry index named in an input path to its logical key.</param>
    public QuiltException ToException(string action, Func<int, string?>? entryName = null)
    {
        var message = $"GraphQL {action} failed: {Describe(entryName)}.";
        var (kind, hint) = RegistryErrorKinds.Classify(this);
        return new QuiltException(kind, message, hint);
    }

    /// <summary>The index N of an input path such as <c>src.entries.N.physicalKey</c> (also with '/' or brackets).</summary>
    internal static int? EntryIndex(string path)
    {
        var parts = path.Split(['.', '/', '[', ']'], StringSplitOptions.RemoveEmptyEntries);
        for (var i = 0; i + 1 < parts.Length; i++)
        {
            if (string.Equals(parts[i], "entries", StringComparison.Ordinal)
                && int.TryParse(parts[i + 1], NumberStyles.None, CultureInfo.InvariantCulture, out var index))
            {
                return index;
            }
        }

        return null;
    }

    private static string? DescribeContext(QuiltJsonValue? context)
    {
        if (context is not QuiltJsonObject { Count: > 0 } record)
        {
            return null;
        }

        if (record.Count == 1 && record.TryGetValue("details", out var details) && details is QuiltJsonString s)
        {
            return Truncate(s.Value);
        }

        return Truncate(JsonText.Serialize(record));

        static string Truncate(string text) => text.Length <= 400 ? text : string.Concat(text.AsSpan(0, 400), "…");
    }
}
