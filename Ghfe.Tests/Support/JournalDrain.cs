namespace Ghfe.Tests.Support;

/// <summary>Waiting for a ghfe's journal to be written to PostgreSQL, as its /health/ready tells.</summary>
public static class JournalDrain
{
    /// <summary>Until the database is up and the journal holds nothing; a TimeoutException after 60 s.</summary>
    public static async Task WaitAsync(HttpClient client)
    {
        for (var attempt = 0; attempt < 240; attempt++)
        {
            var ready = await client.GetStringAsync("/health/ready");
            if (ready.Contains("database: up", StringComparison.Ordinal) && ready.Contains("journal: 0 waiting", StringComparison.Ordinal))
            {
                return;
            }

            await Task.Delay(250);
        }

        throw new TimeoutException("the journal did not drain in 60 s");
    }
}
