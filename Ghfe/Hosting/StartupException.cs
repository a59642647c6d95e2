namespace Ghfe.Hosting;

/// <summary>A configuration problem that stops start-up; its message is the one line printed.</summary>
public sealed class StartupException(string message) : Exception(message);
