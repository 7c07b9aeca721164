package amiboot.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import java.util.List;
import org.junit.jupiter.api.Test;

/** How amiboot start launches its boot and stop children. */
class ChildRunTest {
  private final ChildRun launchedLikeThis =
      new ChildRun(List.of("/usr/bin/java", "-Xmx128m", "-jar", "/usr/share/amiboot/amiboot.jar"), List.of("--config", "a.yml"));

  @Test
  void childFlags_goRightAfterTheJavaBinary_beforeTheParentsOwn() {
    ChildRun child = launchedLikeThis.withJvmFlags(" -XX:SharedArchiveFile=/var/cache/amiboot/amiboot.jsa  -Xlog:cds=off ");

    assertEquals(List.of("/usr/bin/java", "-XX:SharedArchiveFile=/var/cache/amiboot/amiboot.jsa", "-Xlog:cds=off", "-Xmx128m",
        "-jar", "/usr/share/amiboot/amiboot.jar"), child.launcher());
    assertEquals(List.of("--config", "a.yml"), child.options());
  }

  @Test
  void noChildFlags_leaveTheLauncherAsItIs() {
    assertSame(launchedLikeThis, launchedLikeThis.withJvmFlags(null));
    assertSame(launchedLikeThis, launchedLikeThis.withJvmFlags("  "));
  }
}
