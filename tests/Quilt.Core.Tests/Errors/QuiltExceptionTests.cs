using Quilt.Core.Errors;

namespace Quilt.Core.Tests.Errors;

public sealed class QuiltExceptionTests
{
    [Fact]
    public void Cancelled_HasKindAndReasonCancelled()
    {
        var inner = new OperationCanceledException();

        var error = QuiltException.Cancelled("The run was cancelled.", inner);

        error.Kind.ShouldBe(QuiltErrorKind.Cancelled);
        error.Reason.ShouldBe(QuiltErrorReason.Cancelled);
        error.InnerException.ShouldBeSameAs(inner);
        error.IsTransient.ShouldBeFalse();
    }

    [Fact]
    public void CredentialsRefused_IsAccessDeniedWithATypedReason()
    {
        var error = QuiltException.CredentialsRefused("S3 said no.", "Check the credentials.");

        error.Kind.ShouldBe(QuiltErrorKind.AccessDenied);
        error.Reason.ShouldBe(QuiltErrorReason.CredentialsRefused);
        QuiltException.AccessDenied("S3 said no.", "Check AWS_PROFILE.").Reason.ShouldBe(QuiltErrorReason.Unspecified);
    }

    [Fact]
    public void WithMessage_KeepsKindHintReasonAndField()
    {
        var original = QuiltException.InvalidInput(QuiltErrorReason.OutOfRange, QuiltInputField.MaxKeys, "Too many.", "Ask for fewer.");

        var extended = original.WithMessage("Too many. Nothing was written.");

        extended.Message.ShouldBe("Too many. Nothing was written.");
        extended.Kind.ShouldBe(QuiltErrorKind.InvalidInput);
        extended.Hint.ShouldBe("Ask for fewer.");
        extended.Reason.ShouldBe(QuiltErrorReason.OutOfRange);
        extended.Field.ShouldBe(QuiltInputField.MaxKeys);
        extended.InnerException.ShouldBeSameAs(original);
    }

    [Fact]
    public void InvalidInput_WithoutReason_IsUnspecifiedAndAboutNoField()
    {
        var error = QuiltException.InvalidInput("Bad.");

        error.Reason.ShouldBe(QuiltErrorReason.Unspecified);
        error.Field.ShouldBe(QuiltInputField.None);
    }
}
