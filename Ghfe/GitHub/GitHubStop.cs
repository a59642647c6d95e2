namespace Ghfe.GitHub;

/// <summary>GitHub cannot be talked to any further this run; <see cref="Exception.Message"/> is the one line that says why.</summary>
public sealed class GitHubStop(string line) : Exception(line);
