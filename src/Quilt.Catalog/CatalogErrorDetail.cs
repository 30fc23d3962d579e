using Quilt.Core.Json;

namespace Quilt.Catalog;

/// <summary>One reason the registry gave for refusing an operation (an <c>InputError</c> or an <c>OperationError</c>).</summary>
/// <param name="Name">The registry's error name (<c>TooManyFilesToHash</c>, <c>WorkflowValidationError</c>, …).</param>
/// <param name="Message">The registry's message.</param>
/// <param name="Path">The input path the error is about (<c>src.entries.3.physicalKey</c>), for input errors.</param>
/// <param name="Context">The registry's context record, if any.</param>
public sealed record CatalogErrorDetail(string Name, string Message, string? Path, QuiltJsonValue? Context);
