namespace Quilt.Core.Schema;

/// <summary>
/// One reason why an instance does not satisfy a schema. Errors go to users and to AI models, so each says
/// where (<see cref="InstancePath"/>), which rule (<see cref="SchemaPath"/>) and what is wrong, in words.
/// </summary>
/// <param name="InstancePath">JSON pointer to the offending value in the instance (<c>""</c> is the whole instance, <c>/entries/0/size</c> a nested one).</param>
/// <param name="SchemaPath">JSON pointer to the schema keyword that failed (<c>/properties/title/type</c>).</param>
/// <param name="Message">A sentence in the style of Python's jsonschema, such as <c>'title' is a required property</c>.</param>
public sealed record SchemaError(string InstancePath, string SchemaPath, string Message)
{
    /// <summary>The error as one line: the message, prefixed by where it happened unless that is the whole instance.</summary>
    public override string ToString() => InstancePath.Length == 0 ? Message : $"{InstancePath}: {Message}";
}
