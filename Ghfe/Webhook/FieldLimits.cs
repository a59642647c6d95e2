namespace Ghfe.Webhook;

/// <summary>
/// How long the strings ghfe stores may be, far past what GitHub sends and short enough that no
/// row can reach a limit of PostgreSQL's. The tightest is a btree index entry (2,704 bytes):
/// idx_jobs_active and the scheduler's idx_workers_active hold job_labels whole. At these limits
/// that entry is at most ~2,350 bytes: 64 labels cost 4 bytes each in the JSONB and 2,048 bytes
/// of text, plus two 8-byte keys and ~40 of headers and padding.
/// </summary>
public static class FieldLimits
{
    /// <summary>runs-on lists a handful; GitHub lets a runner carry 100 custom labels, of a few dozen characters each.</summary>
    public const int Labels = 64;

    public const int LabelLength = 256;

    /// <summary>All labels together, in UTF-8 as PostgreSQL stores them.</summary>
    public const int LabelBytes = 2048;

    /// <summary>
    /// A login (GitHub: at most 39 characters) or owner/repository (at most 140). idx_jobs_repo
    /// holds lower(repo_full_name): 256 characters are at most ~1 KB of UTF-8, even lowered.
    /// </summary>
    public const int NameLength = 256;

    /// <summary>The job's page: GitHub's are ~100 characters. Not indexed; bounded so a row stays a row.</summary>
    public const int UrlLength = 2048;

    /// <summary>A job's name as GitHub shows it (a matrix job's carries its values): not indexed, bounded so a row stays a row.</summary>
    public const int JobNameLength = 1024;
}
