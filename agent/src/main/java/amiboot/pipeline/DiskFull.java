package amiboot.pipeline;

import java.util.Objects;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * A write that failed for want of space: ENOSPC, or a quota (EDQUOT), in the words the JDK and
 * JGit use. A full disk is a state of the box, not a mistake in its config: a boot serves the
 * release it has rather than fail (see Boot).
 */
public final class DiskFull {
  private static final Pattern FULL = Pattern.compile("(?i)no space left on device|disk quota exceeded");

  private DiskFull() {}

  /** Whether {@code e}'s message or a cause's says the disk is full. */
  public static boolean causedBy(Throwable e) {
    return Stream.iterate(e, Objects::nonNull, Throwable::getCause)
        .anyMatch(t -> t.getMessage() != null && FULL.matcher(t.getMessage()).find());
  }
}
