using Ghfe.History;

namespace Ghfe.Store;

/// <summary>What the store reads for one /history request.</summary>
public sealed record HistoryData(IReadOnlyList<HistoryGroupStats> Groups, IReadOnlyList<DailyCount> Daily, IReadOnlyList<HistoryJob> Jobs);
