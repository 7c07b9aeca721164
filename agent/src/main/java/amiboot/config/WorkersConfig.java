package amiboot.config;

import java.math.BigDecimal;
import java.util.Optional;

/** Worker sizing: {@code count} outright, or {@code per_ecu} x the instance type's ECU, else {@code default}. */
public record WorkersConfig(Optional<BigDecimal> perEcu, Optional<Integer> defaultCount, Optional<Integer> count) {}
