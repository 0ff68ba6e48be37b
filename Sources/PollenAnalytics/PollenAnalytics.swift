/// Network measures over compact graphs (CSR, PageRank, betweenness, Louvain, E-I, brokerage). The engine
/// arrives with the monitoring and evaluation work; this namespace marks where it lives.
public enum PollenAnalytics {
    /// The version of the measures' definitions, stored with computed results so stale ones can be told apart.
    public static let version = 1
}
