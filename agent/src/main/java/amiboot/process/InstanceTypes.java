package amiboot.process;

import amiboot.config.Suggest;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The size of instance types in ECU (legacy) or vCPU (current families), from the table in the jar. */
public final class InstanceTypes {
  private static final String RESOURCE = "/amiboot/process/instance-types.txt";
  private static final Pattern TYPE = Pattern.compile("([a-z0-9-]+)\\.(medium|large|xlarge|(\\d+)xlarge)");

  /** How big a type is, and which row of the table said so (shown by {@code plan}). */
  public record Size(BigDecimal units, String row) {}

  private final Map<String, Size> exact;
  private final Set<String> families;

  private InstanceTypes(Map<String, Size> exact, Set<String> families) {
    this.exact = Map.copyOf(exact);
    this.families = Set.copyOf(families);
  }

  public static InstanceTypes shipped() {
    try (InputStream in = InstanceTypes.class.getResourceAsStream(RESOURCE)) {
      if (in == null) {
        throw new IllegalStateException("instance type table missing from the jar: " + RESOURCE);
      }
      return parse(new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8)));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static InstanceTypes parse(BufferedReader reader) throws IOException {
    Map<String, Size> exact = new HashMap<>();
    Set<String> families = new HashSet<>();
    String line;
    while ((line = reader.readLine()) != null) {
      String[] f = line.replaceAll("#.*", "").trim().split("\\s+");
      switch (f[0]) {
        case "ecu" -> exact.put(f[1], new Size(new BigDecimal(f[2]), f[1] + " = " + f[2] + " ECU (legacy ECU table)"));
        case "vcpu" -> exact.put(f[1], new Size(new BigDecimal(f[2]), f[1] + " = " + f[2] + " vCPU (vCPU table)"));
        case "family" -> families.addAll(java.util.Arrays.asList(f).subList(1, f.length));
        case "" -> { }
        default -> throw new IllegalStateException("bad instance type table line: " + line);
      }
    }
    return new InstanceTypes(exact, families);
  }

  /** The known type closest to a misspelt one ({@code m1.lage}: {@code m1.large}), if any is close. */
  public Optional<String> closest(String instanceType) {
    List<String> known = new ArrayList<>(new TreeSet<>(exact.keySet()));
    for (String family : new TreeSet<>(families)) {
      known.addAll(List.of(family + ".medium", family + ".large", family + ".xlarge"));
    }
    return Suggest.closest(instanceType, known);
  }

  public Optional<Size> lookup(String instanceType) {
    Size size = exact.get(instanceType);
    if (size != null) {
      return Optional.of(size);
    }
    Matcher m = TYPE.matcher(instanceType);
    if (!m.matches() || !families.contains(m.group(1))) {
      return Optional.empty();
    }
    int vcpu = switch (m.group(2)) {
      case "medium" -> 1;
      case "large" -> 2;
      case "xlarge" -> 4;
      default -> 4 * Integer.parseInt(m.group(3));
    };
    return Optional.of(new Size(BigDecimal.valueOf(vcpu),
        instanceType + " = " + vcpu + " vCPU (" + m.group(1) + " family, " + m.group(2) + " size)"));
  }
}
