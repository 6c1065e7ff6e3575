import Metrics
import Prometheus

/// The process's metrics: the server records through swift-metrics (`Counter`, `Timer`, `Meter`),
/// into one Prometheus registry that `MetricsEndpoint` serves. Without `serve --metrics-port`
/// nothing is bootstrapped and every handle records nothing.
public enum ServerMetrics {
    /// Makes the registry the process's metrics backend; once, before the application is built
    /// (a handle made earlier stays a no-op).
    public static func bootstrap() -> PrometheusCollectorRegistry {
        let registry = PrometheusCollectorRegistry()
        var factory = PrometheusMetricsFactory(registry: registry)
        factory.nameAndLabelSanitizer = PrometheusNaming.rename
        MetricsSystem.bootstrap(factory)
        return registry
    }
}
