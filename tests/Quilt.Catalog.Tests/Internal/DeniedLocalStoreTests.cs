using Quilt.Catalog.Internal;
using Quilt.Core.Errors;
using Quilt.Storage;

namespace Quilt.Catalog.Tests.Internal;

/// <summary>In catalog mode the server's own file system is out of reach: every local-store call is refused.</summary>
public sealed class DeniedLocalStoreTests
{
    private static readonly ObjectLocation Somewhere = new("/etc", "passwd");

    public static TheoryData<string> Calls() => ["info", "list", "page", "head", "read", "open", "hash", "copy", "put", "delete", "key", "presign"];

    [Theory]
    [MemberData(nameof(Calls))]
    public async Task EveryCall_IsRefusedAsUnsupported(string call)
    {
        var store = DeniedLocalStore.Instance;
        Func<Task> action = call switch
        {
            "info" => () => store.GetBucketInfoAsync("/etc"),
            "list" => async () => await store.ListAsync("/etc", "").GetAsyncEnumerator().MoveNextAsync(),
            "page" => () => store.ListPageAsync("/etc", "", null, 10, null),
            "head" => () => store.HeadAsync(Somewhere),
            "read" => () => store.TryReadAllBytesAsync(Somewhere),
            "open" => () => store.OpenReadAsync(Somewhere),
            "hash" => () => store.HashAsync(Somewhere, new HashingOptions()),
            "copy" => () => store.CopyAsync(Somewhere, Somewhere, new CopyOptions()),
            "put" => () => store.PutAsync(Somewhere, new byte[1]),
            "delete" => () => store.DeleteAsync([Somewhere]),
            "key" => () => Task.FromResult(store.ToPhysicalKey(Somewhere)),
            _ => () => Task.FromResult(store.Presign(Somewhere, true, TimeSpan.FromMinutes(1))),
        };

        var error = await Should.ThrowAsync<QuiltException>(action);

        error.Kind.ShouldBe(QuiltErrorKind.Unsupported);
        error.Hint!.ShouldContain("direct mode");
        error.Reason.ShouldBe(QuiltErrorReason.LocalLocationRefused);
        store.Scheme.ShouldBe("file");
        store.Requests.Total.ShouldBe(0);
    }
}
