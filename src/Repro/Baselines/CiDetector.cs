namespace Repro;

/// <summary>Recognises CI systems, where accepting new baselines implicitly must never happen.</summary>
internal static class CiDetector
{
    /// <summary>The variables that mark CI; public so tests can clear them to exercise local-only paths.</summary>
    public static IReadOnlyList<string> Variables { get; } =
    [
        "CI", "CONTINUOUS_INTEGRATION", "GITHUB_ACTIONS", "GITLAB_CI", "TF_BUILD", "JENKINS_URL", "BUILDKITE",
        "CIRCLECI", "TEAMCITY_VERSION", "APPVEYOR", "TRAVIS", "BITBUCKET_BUILD_NUMBER", "DRONE", "CODEBUILD_BUILD_ID",
    ];

    /// <summary>The variable that marks this process as running on CI, or null.</summary>
    public static string? Detect(Func<string, string?>? getVariable = null)
    {
        getVariable ??= System.Environment.GetEnvironmentVariable;
        foreach (var name in Variables)
        {
            var value = getVariable(name);
            if (string.IsNullOrWhiteSpace(value) || value.Equals("false", StringComparison.OrdinalIgnoreCase) || value == "0") continue;
            return $"{name}={value}";
        }
        return null;
    }
}
