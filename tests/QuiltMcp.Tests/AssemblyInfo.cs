using Quilt.Testing;

[assembly: AssemblyFixture(typeof(MotoFixture))]
