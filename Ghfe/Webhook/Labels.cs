using System.Text.Json;
using LanguageExt;
using static LanguageExt.Prelude;

namespace Ghfe.Webhook;

/// <summary>
/// Stage 5: <c>workflow_job.labels</c> — missing or null is no labels; anything but strings, or
/// more or longer than <see cref="FieldLimits"/> allows, is refused.
/// </summary>
public static class Labels
{
    private const string Path = "workflow_job.labels";

    public static Either<Rejection, IReadOnlyList<string>> Read(Payload.Node workflowJob)
    {
        var array = workflowJob["labels"];
        if (array.Absent)
        {
            return Right<Rejection, IReadOnlyList<string>>([]);
        }

        // Every element must be a string before any is read: a number anywhere names the array.
        if (array.Items is not { } items || items.Any(item => item.Kind != JsonTokenType.String))
        {
            return new Rejection.InvalidPayload($"{Path} must be an array of strings");
        }

        if (items.Count > FieldLimits.Labels)
        {
            return new Rejection.InvalidPayload($"{Path} has more than {FieldLimits.Labels} labels");
        }

        var read = new string[items.Count];
        var bytes = 0;
        for (var index = 0; index < read.Length; index++)
        {
            var label = JsonFields.AsString(items[index], Path, index).Bind(text => JsonFields.AtMost(text, Path, index, FieldLimits.LabelLength));
            if (label.IsLeft)
            {
                return label.Map(_ => (IReadOnlyList<string>)read);
            }

            read[index] = label.IfLeft(string.Empty);
            bytes += System.Text.Encoding.UTF8.GetByteCount(read[index]);
        }

        return bytes > FieldLimits.LabelBytes
            ? new Rejection.InvalidPayload($"{Path} hold more than {FieldLimits.LabelBytes} bytes of UTF-8 together")
            : Right<Rejection, IReadOnlyList<string>>(read);
    }
}
