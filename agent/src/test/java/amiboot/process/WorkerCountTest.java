package amiboot.process;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import amiboot.config.WorkersConfig;
import java.math.BigDecimal;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class WorkerCountTest {

  private final InstanceTypes types = InstanceTypes.shipped();

  /** The SmallPayroll job role: {@code workers: { per_ecu: 2, default: 2 }}. */
  private static final WorkersConfig SEED = perEcu("2", 2);

  private static WorkersConfig perEcu(String perEcu, Integer defaultCount) {
    return new WorkersConfig(Optional.of(new BigDecimal(perEcu)), Optional.ofNullable(defaultCount), Optional.empty());
  }

  private static void assertContains(String text, String... parts) {
    for (String part : parts) {
      assertTrue(text.contains(part), () -> "expected '" + part + "' in: " + text);
    }
  }

  @ParameterizedTest
  @CsvSource({
      "m1.small, 2",
      "m1.large, 8",
      "m1.xlarge, 16",
      "c1.medium, 10",
      "c1.xlarge, 40",
      "m2.xlarge, 13",
      "t1.micro, 2",
      "m5.2xlarge, 16",
      "t3.micro, 4",
      "c6g.medium, 2",
      "m5.large, 4",
      "r6i.xlarge, 8",
      "c5.24xlarge, 192",
  })
  void of_seedPerEcu_sizedByInstanceType(String type, int expected) {
    assertEquals(expected, WorkerCount.of(SEED, type, types).count(), type);
  }

  @ParameterizedTest
  @ValueSource(strings = {"x9.weird", "", "m5.metal", "M1.LARGE", "m1.large ", "zz9.xlarge"})
  void of_typeNotInTable_givesDefault(String type) {
    WorkerCount count = WorkerCount.of(SEED, type, types);

    assertEquals(2, count.count());
    assertContains(count.reason(), "not in the table", "default 2");
  }

  @Test
  void of_legacyType_reasonNamesEcuTableRow() {
    WorkerCount count = WorkerCount.of(SEED, "m1.large", types);

    assertContains(count.reason(), "per_ecu 2", "m1.large = 4 ECU", "legacy ECU table", "= 8");
  }

  @Test
  void of_fractionalEcu_reasonShowsTableValue() {
    WorkerCount count = WorkerCount.of(SEED, "m2.xlarge", types);

    assertContains(count.reason(), "m2.xlarge = 6.5 ECU", "= 13");
  }

  @Test
  void of_burstableType_reasonNamesVcpuTableRow() {
    WorkerCount count = WorkerCount.of(SEED, "t3.micro", types);

    assertContains(count.reason(), "t3.micro = 2 vCPU", "vCPU table");
  }

  @Test
  void of_currentFamily_reasonNamesFamilyRule() {
    WorkerCount count = WorkerCount.of(SEED, "m5.2xlarge", types);

    assertContains(count.reason(), "m5.2xlarge = 8 vCPU", "m5 family");
  }

  @Test
  void of_unknownType_reasonNamesType() {
    assertContains(WorkerCount.of(SEED, "x9.weird", types).reason(), "x9.weird not in the table");
  }

  @ParameterizedTest
  @ValueSource(strings = {"m1.small", "c1.xlarge", "x9.weird", ""})
  void of_fixedCount_regardlessOfType(String type) {
    WorkersConfig config = new WorkersConfig(Optional.empty(), Optional.empty(), Optional.of(3));

    WorkerCount count = WorkerCount.of(config, type, types);

    assertEquals(3, count.count());
    assertContains(count.reason(), "count: 3");
  }

  @Test
  void of_halfPerEcuOnSmallest_atLeastOne() {
    assertEquals(1, WorkerCount.of(perEcu("0.5", null), "m1.small", types).count());
  }

  @Test
  void of_tinyPerEcu_atLeastOne() {
    assertEquals(1, WorkerCount.of(perEcu("0.01", 5), "m1.xlarge", types).count());
  }

  @Test
  void of_fractionalProduct_roundedDown() {
    assertEquals(6, WorkerCount.of(perEcu("1", null), "m2.xlarge", types).count());
    assertEquals(3, WorkerCount.of(perEcu("0.75", null), "m1.large", types).count());
  }

  @Test
  void of_unknownTypeWithoutDefault_one() {
    WorkerCount count = WorkerCount.of(perEcu("2", null), "x9.weird", types);

    assertEquals(1, count.count());
    assertContains(count.reason(), "default 1");
  }

  @Test
  void of_defaultOnly_givesDefaultForKnownType() {
    WorkersConfig config = new WorkersConfig(Optional.empty(), Optional.of(4), Optional.empty());

    WorkerCount count = WorkerCount.of(config, "m1.xlarge", types);

    assertEquals(4, count.count());
    assertContains(count.reason(), "no per_ecu", "default 4");
  }

  @Test
  void perEcuTimesAHugeType_isCappedAt10000() {
    WorkerCount w = WorkerCount.of(new WorkersConfig(Optional.of(new BigDecimal("1000")), Optional.empty(), Optional.empty()),
        "c3.8xlarge", InstanceTypes.shipped());

    assertEquals(10_000, w.count());
    assertTrue(w.reason().contains("capped at 10000"), w.reason());
  }
}
