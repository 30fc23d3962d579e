namespace Quilt.Storage.Tests;

public sealed class ObjectStoresTests
{
    [Fact]
    public void ForUri_LocalForms_ReturnTheSharedLocalStore()
    {
        ObjectStores.ForUri("file:///tmp").ShouldBeSameAs(ObjectStores.Local);
        ObjectStores.ForUri("relative/dir").ShouldBeSameAs(ObjectStores.Local);
        ObjectStores.Local.ShouldBeOfType<LocalObjectStore>();
    }

    [Fact]
    public void ForUri_S3WithOptions_SharesOneStorePerConfiguration()
    {
        var options = new S3StoreOptions { ServiceUrl = "http://127.0.0.1:1", Region = "eu-west-1", AccessKeyId = "a", SecretAccessKey = "b" };

        var first = ObjectStores.ForUri("s3://bucket/a", options);
        var second = ObjectStores.ForUri("s3://other/b", options with { });
        var different = ObjectStores.ForUri("s3://bucket/a", options with { MaxConcurrency = 8 });

        first.ShouldBeOfType<S3ObjectStore>();
        second.ShouldBeSameAs(first);
        different.ShouldNotBeSameAs(first);
        ((S3ObjectStore)first).Options.Region.ShouldBe("eu-west-1");
        first.Scheme.ShouldBe("s3");
    }

    [Fact]
    public void Open_ParsesAndPicksTheStore()
    {
        var (store, location) = ObjectStores.Open("s3://b-1/x/", new S3StoreOptions { ServiceUrl = "http://127.0.0.1:2", AccessKeyId = "a", SecretAccessKey = "b" });

        store.Scheme.ShouldBe("s3");
        location.ShouldBe(new StorageUri("s3", "b-1", "x/"));
        Should.Throw<ArgumentNullException>(() => ObjectStores.For(null!));
    }
}
