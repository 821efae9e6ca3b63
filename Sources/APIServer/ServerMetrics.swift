import CoreMetrics
import Metrics
import Prometheus

/// The server's figures for `/metrics` (Prometheus text format): requests by route and
/// status, their durations, and imports begun. Recorded through swift-metrics with the
/// server's own registry, so nothing global is touched and two servers in one process
/// (tests) keep separate figures.
public final class ServerMetrics: Sendable {
    let registry = PrometheusCollectorRegistry()
    private let factory: PrometheusMetricsFactory

    public init() {
        factory = PrometheusMetricsFactory(registry: registry)
    }

    func request(route: String, status: Int, duration: Duration) {
        Counter(label: "contact_import_http_requests_total", dimensions: [("route", route), ("status", String(status))], factory: factory)
            .increment()
        Timer(label: "contact_import_http_request_duration_seconds", dimensions: [("route", route)], factory: factory)
            .recordNanoseconds(duration.nanoseconds)
    }

    func began() {
        Counter(label: "contact_import_imports_begun_total", dimensions: [], factory: factory).increment()
    }

    /// The text `/metrics` answers.
    public func exposition() -> String { registry.emitToString() }
}

extension Duration {
    var nanoseconds: Int64 {
        let (seconds, attoseconds) = components
        return seconds * 1_000_000_000 + attoseconds / 1_000_000_000
    }
}
