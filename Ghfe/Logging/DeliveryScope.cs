using System.Collections;

namespace Ghfe.Logging;

/// <summary>
/// The log scope of one delivery: its id as a named value (JSON logs write <c>"DeliveryId"</c>),
/// and as text that says so (a dictionary's text is its type name, which JSON lines would carry).
/// </summary>
internal sealed class DeliveryScope(string deliveryId) : IReadOnlyList<KeyValuePair<string, object?>>
{
    public int Count => 1;

    public KeyValuePair<string, object?> this[int index] =>
        index == 0 ? new("DeliveryId", deliveryId) : throw new ArgumentOutOfRangeException(nameof(index));

    public IEnumerator<KeyValuePair<string, object?>> GetEnumerator()
    {
        yield return this[0];
    }

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    public override string ToString() => "DeliveryId:" + deliveryId;
}
