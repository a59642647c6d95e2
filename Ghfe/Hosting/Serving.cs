namespace Ghfe.Hosting;

/// <summary>Runs the service until it stops; a start that cannot go on ends with one line and exit code 2.</summary>
public static class Serving
{
    public static async Task<int> RunAsync(Func<Task<WebApplication>> build)
    {
        WebApplication app;
        try
        {
            app = await build();
        }
        catch (StartupException e)
        {
            // One line, naming the problem: what an operator reads in a crash-looping pod.
            await Console.Error.WriteLineAsync($"ghfe: {e.Message}");
            return 2;
        }

        await using (app)
        {
            try
            {
                await app.RunAsync();
            }
            catch (IOException e)
            {
                // Kestrel could not listen (the port is taken, or not ours): one line, as for a bad setting.
                await Console.Error.WriteLineAsync($"ghfe: cannot listen: {Messages(e)}");
                return 2;
            }
        }

        return 0;
    }

    /// <summary>An exception's message and those of its causes that add something, on one line.</summary>
    private static string Messages(Exception e)
    {
        var text = e.Message.TrimEnd('.');
        for (var cause = e.InnerException; cause is not null; cause = cause.InnerException)
        {
            if (!text.Contains(cause.Message.TrimEnd('.'), StringComparison.OrdinalIgnoreCase))
            {
                text += ": " + cause.Message.TrimEnd('.');
            }
        }

        return text.ReplaceLineEndings(" ");
    }
}
