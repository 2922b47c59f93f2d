using Xunit.Sdk;

namespace Repro.Xunit;

/// <summary>A failed baseline check; xunit reports it as an assertion failure, not a crash.</summary>
public sealed class BaselineMismatchException(string message) : Exception(message), IAssertionException;
