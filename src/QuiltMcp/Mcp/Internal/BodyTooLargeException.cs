namespace QuiltMcp.Mcp.Internal;

/// <summary>Thrown by <see cref="LimitedReadStream"/> when a body goes past its limit.</summary>
internal sealed class BodyTooLargeException : IOException
{
    public BodyTooLargeException()
        : base("The request body is larger than allowed.")
    {
    }

    public BodyTooLargeException(string message)
        : base(message)
    {
    }

    public BodyTooLargeException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
