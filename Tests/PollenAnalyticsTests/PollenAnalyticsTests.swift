import PollenAnalytics
import Testing

@Suite struct PollenAnalyticsTests {
    @Test func theModuleLoads() {
        #expect(PollenAnalytics.version == 1)
    }
}
