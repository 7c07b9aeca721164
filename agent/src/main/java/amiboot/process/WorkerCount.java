package amiboot.process;

import amiboot.config.WorkersConfig;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.Optional;

/** How many workers a job role runs on this instance, and why. */
public record WorkerCount(int count, String reason) {
  /** The most workers one instance runs, whatever per_ecu x size comes to (the config's bound for count). */
  public static final int MAX = 10_000;

  /** {@code count}, else {@code per_ecu} x size (rounded down, at least 1), else {@code default} (1 if absent). */
  public static WorkerCount of(WorkersConfig config, String instanceType, InstanceTypes types) {
    if (config.count().isPresent()) {
      return new WorkerCount(config.count().get(), "count: " + config.count().get());
    }
    int fallback = config.defaultCount().orElse(1);
    Optional<InstanceTypes.Size> size = types.lookup(instanceType);
    if (config.perEcu().isEmpty() || size.isEmpty()) {
      String why = config.perEcu().isEmpty() ? "no per_ecu" : "instance type " + instanceType + " not in the table";
      return new WorkerCount(fallback, why + ": default " + fallback);
    }
    BigDecimal perEcu = config.perEcu().get();
    BigDecimal product = perEcu.multiply(size.get().units()).setScale(0, RoundingMode.FLOOR);
    int n = product.compareTo(BigDecimal.valueOf(MAX)) > 0 ? MAX : Math.max(1, product.intValueExact());
    String capped = n == MAX && product.compareTo(BigDecimal.valueOf(MAX)) > 0 ? " (capped at " + MAX + ")" : "";
    return new WorkerCount(n, "per_ecu " + perEcu.stripTrailingZeros().toPlainString() + " x " + size.get().row() + " = " + n + capped);
  }
}
